import DebriefCore
import DebriefFakeSlack

/// What the fake Slack received in `bench replicas`, counted per conversation as it arrives: each participant's
/// DMs (top-level messages; the position of each in the fake's arrival order, to tell a repeat caused by the kill
/// from any other), the digest channel's posts, and anything else.
struct PostTally {
    /// DM conversations of the training's participants (`D00001` for `U00001`).
    let participants: Set<String>
    let digestChannel: String
    /// Messages counted so far (the next call reads from here).
    private(set) var seen = 0
    /// Arrival positions of the top-level messages in each participant's DM.
    private(set) var nudges: [String: [Int]] = [:]
    private(set) var digestPosts = 0
    private(set) var digestThreadReplies = 0
    /// Messages to anyone else (the people reflecting should get none).
    private(set) var otherPosts = 0

    init(people: Int, digestChannel: String) {
        participants = Set((1...max(people, 1)).map { "D" + BenchFakeSlack.userID($0).dropFirst() })
        self.digestChannel = digestChannel
    }

    var nudgedPeople: Int { nudges.count }

    mutating func add(_ posts: [FakeSlack.PostedMessage]) {
        for post in posts {
            let position = seen
            seen += 1
            let threaded = post.message["thread_ts"] != nil
            if post.channel == digestChannel {
                if threaded { digestThreadReplies += 1 } else { digestPosts += 1 }
            } else if participants.contains(post.channel), !threaded {
                nudges[post.channel, default: []].append(position)
            } else {
                otherPosts += 1
            }
        }
    }

    /// People who got more than one DM, split by whether the first came before the killed process was gone and
    /// the repeat after it (`postsBefore`: messages accepted by then): only such a repeat is the at-least-once
    /// window of a killed job (posted, not yet recorded). Extra messages are counted (two repeats of one person are
    /// two).
    func duplicates(postsBefore: Int?) -> (acrossKill: Int, other: Int) {
        var acrossKill = 0
        var other = 0
        for positions in nudges.values where positions.count > 1 {
            let extra = positions.count - 1
            if let postsBefore, positions.count == 2, positions[0] < postsBefore, positions[1] >= postsBefore {
                acrossKill += extra
            } else {
                other += extra
            }
        }
        return (acrossKill, other)
    }

    var missed: Int { participants.count - nudges.count }
}

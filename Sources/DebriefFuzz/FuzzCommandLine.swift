import Foundation

/// What `DebriefFuzz` does with its arguments.
///
/// - `DebriefFuzz --list`: every target with one line on what it feeds.
/// - Plain build: `DebriefFuzz <target> [file or folder…]` replays each file (a folder: each file in it) through
///   the target, or standard input when none is given; `DebriefFuzz --replay-all <corpus root>` replays
///   `<root>/<target>/*` for every target. A crash file from the fuzzer crashes here the same way.
/// - Fuzz build (`-DFUZZING`, `.fuzz/run`): `DebriefFuzz <target> [libFuzzer options and corpus folders…]` hands
///   everything after the target name to libFuzzer.
enum FuzzCommandLine {
    static let usage = """
        usage: DebriefFuzz --list
               DebriefFuzz <target> [file or folder…]      (plain build: replay; fuzz build: libFuzzer arguments)
               DebriefFuzz --replay-all <corpus root>      (plain build: every target's folder under the root)
        """

    static func run(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 2 else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            return 64
        }
        let command = arguments[1]
        if command == "--list" {
            for target in FuzzTarget.all {
                print(target.name.padding(toLength: 24, withPad: " ", startingAt: 0) + target.summary)
            }
            return 0
        }
        if command == "--replay-all" {
            guard arguments.count == 3 else {
                FileHandle.standardError.write(Data((usage + "\n").utf8))
                return 64
            }
            return replayAll(root: URL(fileURLWithPath: arguments[2], isDirectory: true))
        }
        guard let target = FuzzTarget.named(command) else {
            let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
            FileHandle.standardError.write(Data("unknown fuzz target `\(command)`; targets: \(names)\n".utf8))
            return 64
        }
        #if FUZZING
            return LibFuzzerDriver.run(target, arguments: [arguments[0]] + arguments.dropFirst(2))
        #else
            let paths = Array(arguments.dropFirst(2))
            if paths.isEmpty {
                target.run(FuzzInput(Array(FileHandle.standardInput.readDataToEndOfFile())))
                print("\(target.name): replayed standard input")
                return 0
            }
            return replay(target, paths: paths.map { URL(fileURLWithPath: $0) })
        #endif
    }

    /// Runs every file under `paths` through `target`; 66 when a path cannot be read.
    static func replay(_ target: FuzzTarget, paths: [URL]) -> Int32 {
        var count = 0
        for url in paths {
            guard let files = inputFiles(at: url) else {
                FileHandle.standardError.write(Data("cannot read \(url.path)\n".utf8))
                return 66
            }
            for file in files {
                guard let data = try? Data(contentsOf: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file.path)\n".utf8))
                    return 66
                }
                target.run(FuzzInput(Array(data)))
                count += 1
            }
        }
        print("\(target.name): replayed \(count) inputs")
        return 0
    }

    /// Replays `<root>/<target>/` for every target that has a folder there.
    static func replayAll(root: URL) -> Int32 {
        for target in FuzzTarget.all {
            let folder = root.appendingPathComponent(target.name, isDirectory: true)
            guard FileManager.default.fileExists(atPath: folder.path) else {
                print("\(target.name): no corpus at \(folder.path)")
                continue
            }
            let status = replay(target, paths: [folder])
            if status != 0 { return status }
        }
        return 0
    }

    /// The file itself, or the regular files directly inside a folder (sorted, hidden files skipped).
    static func inputFiles(at url: URL) -> [URL]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return [url] }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return nil }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0) }.filter { file in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
}

import Foundation

/// One person of the directory as a digest needs them: their names, nothing else.
public struct DirectoryEntry: Sendable, Equatable {
    public var userID: String
    /// Real name, display name…; the first one is how the person is shown when they chose to be named.
    public var names: [String]

    public init(userID: String, names: [String]) {
        self.userID = userID
        self.names = names
    }
}

/// Names a digest needs from the directory: which leaders chose to be named, and every colleague's name so
/// quotes can be scrubbed of them.
///
/// Read from the platform when needed and kept only in memory — the directory is never stored. When it
/// cannot be read, digests leave free text out (`nil` names) rather than showing quotes that were not
/// scrubbed of colleagues' names.
public struct DirectoryNames: Sendable, Equatable {
    /// Display names by platform user id (used for leaders who chose `attributed`).
    public var displayNames: [String: String]
    /// Every name in the directory (real names and display names), for scrubbing.
    public var directory: [String]

    public init(displayNames: [String: String], directory: [String]) {
        self.displayNames = displayNames
        self.directory = directory
    }

    /// Adds the names of more people (one page of the directory at a time); blank names are ignored.
    public mutating func add(_ entries: [DirectoryEntry]) {
        var directory = Set(self.directory)
        for entry in entries {
            var names: [String] = []
            for name in entry.names {
                let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { names.append(trimmed) }
            }
            directory.formUnion(names)
            if !entry.userID.isEmpty, let shown = names.first { displayNames[entry.userID] = shown }
        }
        self.directory = directory.sorted()
    }
}

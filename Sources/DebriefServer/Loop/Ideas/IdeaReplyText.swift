import DebriefCore
import DebriefStore

/// The sentence answering a "Useful" click, on every platform.
enum IdeaReplyText {
    static func text(for result: IdeaMarkResult) -> String {
        switch result {
        case .counted: IdeaWording.counted
        case .alreadyCounted: IdeaWording.alreadyCounted
        case .unavailable: IdeaWording.unavailable
        }
    }
}

extension IdeaLibraryService {
    /// The library as every platform's feature builds it: the runtime's store, the digests' directory cache and
    /// the configured quote threshold.
    static func make(runtime: DebriefRuntime, reflections: ReflectionService, digests: DigestsFeature)
        -> IdeaLibraryService
    {
        IdeaLibraryService(
            store: runtime.store, reflections: reflections, directory: digests.directory,
            quoteThreshold: runtime.configuration.privacy.quoteThreshold,
            organisationTimeZone: runtime.configuration.organisationTimeZone, now: runtime.now)
    }
}

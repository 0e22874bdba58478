import DebriefCore
import Foundation

extension PromptLibrary {
    /// The sentence shown under a form field for a validation problem.
    public func message(for problem: ReflectionFieldProblem) -> String {
        switch problem {
        case .missing:
            validation.missing
        case .tooShort(let minimum):
            PromptTemplate.render(validation.tooShort, ["minimum": String(minimum)])
        case .tooLong(let maximum):
            PromptTemplate.render(validation.tooLong, ["maximum": String(maximum)])
        case .notOneOf:
            validation.notOneOf
        case .contradicts(let other):
            PromptTemplate.render(validation.contradicts, ["other": modal.field(other).label])
        }
    }

    /// The sentence explaining why a `/reflect` command could not be used.
    ///
    /// Values echoed from what the person typed are returned as typed; renderers escape them for
    /// their markup.
    public func message(for problem: ReflectCommandProblem) -> String {
        switch problem {
        case .pauseNeedsLength(let given):
            let trimmed = given.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return commandProblems.pauseMissingLength }
            return PromptTemplate.render(commandProblems.pauseNeedsLength, ["given": trimmed])
        case .pauseTooLong(let maximumDays):
            return PromptTemplate.render(commandProblems.pauseTooLong, ["maximum_days": String(maximumDays)])
        case .dateInPast(let date):
            return PromptTemplate.render(commandProblems.dateInPast, ["date": date])
        case .invalidDate(let given, let problem):
            return PromptTemplate.render(commandProblems.invalidDate, ["given": given, "problem": problem])
        case .unexpectedArgument(let subcommand, let given):
            return PromptTemplate.render(
                commandProblems.unexpectedArgument, ["subcommand": subcommand, "given": given])
        }
    }
}

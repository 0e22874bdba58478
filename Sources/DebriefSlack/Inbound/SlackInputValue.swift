/// The value of one input in a submitted view's `state.values`, decoded by element type.
///
/// Generic on purpose: the modal's layout can change (a select becomes radio buttons) without
/// touching decoding; ``ReflectionModal/draft(from:)`` reads whichever shape arrives.
public enum SlackInputValue: Sendable, Equatable {
    /// `plain_text_input`, `email_text_input`, `url_text_input`, `number_input`; nil when left empty.
    case text(String?)
    /// `static_select`, `external_select`, `radio_buttons`: the chosen option's value.
    case option(String?)
    /// `multi_static_select`, `multi_external_select`, `checkboxes`: the chosen options' values.
    case options([String])
    /// `datepicker`: `YYYY-MM-DD`.
    case date(String?)
    /// `timepicker`: `HH:mm`.
    case time(String?)
    /// `datetimepicker`: epoch seconds.
    case dateTime(Int?)
    case user(String?)
    case users([String])
    case conversation(String?)
    case conversations([String])
    case channel(String?)
    case channels([String])
    /// An element type Debrief does not read (for example `rich_text_input`).
    case other(type: String)

    /// The single value this input holds, if it holds one.
    public var singleValue: String? {
        switch self {
        case .text(let value), .option(let value), .date(let value), .time(let value), .user(let value),
            .conversation(let value), .channel(let value):
            value
        case .dateTime(let value): value.map(String.init)
        case .options, .users, .conversations, .channels, .other: nil
        }
    }

    /// All values this input holds: one for single inputs (none when empty), several for multi inputs.
    public var allValues: [String] {
        switch self {
        case .options(let values), .users(let values), .conversations(let values), .channels(let values):
            values
        default:
            singleValue.map { [$0] } ?? []
        }
    }
}

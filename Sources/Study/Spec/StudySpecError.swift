/// A study spec that cannot be used. Each case names the key path (`methods[2]`,
/// `fine_tune.learning_rate`) and, where there is one, the offending value.
public enum StudySpecError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The text is not valid JSON.
    case invalidJSON(reason: String)
    case missingKey(key: String)
    case unknownKey(key: String, allowed: [String])
    case wrongType(key: String, expected: String, found: String)
    case emptyList(key: String)
    case invalidValue(key: String, value: String, reason: String)
    /// The same value appears twice in a list whose entries must be unique.
    case duplicateValue(key: String, value: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read study spec \(path): \(reason)"
        case .invalidJSON(let reason):
            return "study spec is not valid JSON: \(reason)"
        case .missingKey(let key):
            return "study spec: missing required key '\(key)'"
        case .unknownKey(let key, let allowed):
            return "study spec: unknown key '\(key)'; allowed keys here: \(allowed.joined(separator: ", "))"
        case .wrongType(let key, let expected, let found):
            return "study spec: '\(key)' must be \(expected), found \(found)"
        case .emptyList(let key):
            return "study spec: '\(key)' must list at least one entry"
        case .invalidValue(let key, let value, let reason):
            return "study spec: invalid value \(value) for '\(key)': \(reason)"
        case .duplicateValue(let key, let value):
            return "study spec: '\(key)' repeats \(value); list each entry once"
        }
    }
}

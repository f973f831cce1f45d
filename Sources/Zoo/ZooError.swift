/// Errors of building a zoo model: invalid options or a state dict that does not fit the architecture.
public enum ZooError: Error, Equatable, CustomStringConvertible {
    case invalidClassCount(Int)
    case invalidInputSize(height: Int, width: Int, reason: String)
    /// Keys the architecture expects but the state dict lacks, and keys it has but the architecture does not use.
    case keyMismatch(architecture: Architecture, missing: [String], unexpected: [String])
    case shapeMismatch(key: String, expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case .invalidClassCount(let classes):
            return "invalid class count \(classes): expected 1 or more"
        case .invalidInputSize(let height, let width, let reason):
            return "invalid input size \(height)x\(width): \(reason)"
        case .keyMismatch(let architecture, let missing, let unexpected):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("\(missing.count) missing keys: \(listed(missing))") }
            if !unexpected.isEmpty { parts.append("\(unexpected.count) unexpected keys: \(listed(unexpected))") }
            return "state dict does not match \(architecture.rawValue): \(parts.joined(separator: "; ")). "
                + "Check that the checkpoint is a \(architecture.rawValue) state dict (\(architecture.checkpointFileNames.joined(separator: ", ")))."
        case .shapeMismatch(let key, let expected, let actual):
            return "state dict entry \(key) has shape \(actual), but the architecture expects \(expected). "
                + "If only the classifier differs, pass the checkpoint's class count."
        }
    }
}

/// Lists the first 20 names, then how many more there are, so that a whole wrong checkpoint does not flood the message.
private func listed(_ names: [String]) -> String {
    let limit = 20
    let head = names.prefix(limit).joined(separator: ", ")
    return names.count > limit ? "\(head), … and \(names.count - limit) more" : head
}

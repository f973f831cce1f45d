/// Failures the commands themselves detect (the libraries' errors pass through unchanged).
enum CLIError: Error, CustomStringConvertible {
    case fileNotFound(path: String, what: String)
    case invalidModel(path: String, reason: String)
    case invalidFile(path: String, reason: String)
    case missingOutputFolder(path: String)

    var description: String {
        switch self {
        case .fileNotFound(let path, let what):
            return "\(what) not found: \(path)"
        case .invalidModel(let path, let reason):
            return "invalid model \(path): \(reason)"
        case .invalidFile(let path, let reason):
            return "invalid file \(path): \(reason)"
        case .missingOutputFolder(let path):
            return "output folder not found: \(path); create it or choose another -o path"
        }
    }
}

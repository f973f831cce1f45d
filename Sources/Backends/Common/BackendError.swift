/// Errors from driving an external runtime.
public enum BackendError: Error, CustomStringConvertible, Equatable {
    /// A tool exited with a non-zero status.
    case processFailed(command: String, status: Int32, standardError: String)
    /// A tool ran longer than allowed and was stopped.
    case timedOut(command: String, seconds: Double)
    /// A tool's output could not be parsed.
    case invalidOutput(tool: String, reason: String)
    /// A setting the detected runtime version does not accept.
    case unsupportedOption(runtime: String, option: String, reason: String)
    /// A file the runtime needs is missing.
    case fileNotFound(path: String)

    public var description: String {
        switch self {
        case .processFailed(let command, let status, let standardError):
            return "\(command) failed with exit status \(status): \(standardError)"
        case .timedOut(let command, let seconds):
            return "\(command) timed out after \(seconds) s; raise the timeout or shorten the run"
        case .invalidOutput(let tool, let reason):
            return "cannot parse output of \(tool): \(reason)"
        case .unsupportedOption(let runtime, let option, let reason):
            return "\(runtime) does not support \(option): \(reason)"
        case .fileNotFound(let path):
            return "file not found: \(path)"
        }
    }
}

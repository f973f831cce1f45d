import Foundation

/// Memory figures of the running process, read from `/proc/self/status` (Linux).
public enum ProcessMemory {
    /// Peak resident set size of this process since it started (`VmHWM`), in bytes, or nil
    /// when `/proc` is not available.
    ///
    /// The kernel never lowers this high-water mark, so it covers everything the process did
    /// before the call, not only the last measurement.
    public static func peakResidentBytes() -> Int? {
        statusField("VmHWM")
    }

    /// Current resident set size of this process (`VmRSS`), in bytes, or nil.
    public static func residentBytes() -> Int? {
        statusField("VmRSS")
    }

    /// Reads a `kB` field such as `VmHWM:   123456 kB` from `/proc/self/status`.
    static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return statusField(name, in: text)
    }

    /// Extracts a `kB` field from the text of a `/proc/<pid>/status` file, in bytes.
    public static func statusField(_ name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let fields = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let value = fields.first.flatMap({ Int($0) }) else { return nil }
            return fields.count > 1 && fields[1] == "kB" ? value * 1024 : value
        }
        return nil
    }
}

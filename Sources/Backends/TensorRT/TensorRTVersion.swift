/// A TensorRT release number, e.g. 8.6.1.
public struct TensorRTVersion: Comparable, Equatable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Decodes the number in trtexec's banner `[TensorRT v8601]`. Releases before 10 encode
    /// `major * 1000 + minor * 100 + patch` (8601 is 8.6.1); from 10 on the encoding is
    /// `major * 10000 + minor * 100 + patch` (100001 is 10.0.1, 110401 is 11.4.1).
    public init?(bannerNumber: Int) {
        guard bannerNumber > 0 else { return nil }
        if bannerNumber >= 100_000 {
            self.init(major: bannerNumber / 10_000, minor: bannerNumber / 100 % 100, patch: bannerNumber % 100)
        } else {
            self.init(major: bannerNumber / 1000, minor: bannerNumber / 100 % 10, patch: bannerNumber % 100)
        }
    }

    /// Finds the version in trtexec output: the `[TensorRT vNNNN]` banner of the
    /// `&&&& RUNNING`/`PASSED` lines, or a `TensorRT version: X.Y.Z` line.
    public static func detect(in text: String) -> TensorRTVersion? {
        if let match = text.firstMatch(of: #/\[TensorRT v(\d+)\]/#), let number = Int(match.1) {
            return TensorRTVersion(bannerNumber: number)
        }
        if let match = text.firstMatch(of: #/TensorRT version:\s*(\d+)\.(\d+)\.(\d+)/#),
            let major = Int(match.1), let minor = Int(match.2), let patch = Int(match.3)
        {
            return TensorRTVersion(major: major, minor: minor, patch: patch)
        }
        return nil
    }

    public static func < (lhs: TensorRTVersion, rhs: TensorRTVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}

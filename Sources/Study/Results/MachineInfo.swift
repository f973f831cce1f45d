import Foundation

/// Facts about the measuring machine and checkout that results documents record.
public enum MachineInfo {
    /// Returns the CPU model name of this machine, or `unknown`.
    ///
    /// Reads `/proc/cpuinfo`; see `cpuModel(fromCPUInfo:)` for the fields it uses. When that
    /// yields nothing, falls back to the device-tree model (`/proc/device-tree/model`),
    /// which names the board on many aarch64 machines.
    public static func cpuModel() -> String {
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let model = cpuModel(fromCPUInfo: text)
        {
            return model
        }
        if let data = FileManager.default.contents(atPath: "/proc/device-tree/model") {
            let model = String(decoding: data, as: UTF8.self)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\0").union(.whitespacesAndNewlines))
            if !model.isEmpty { return model }
        }
        return "unknown"
    }

    /// Extracts a CPU model name from the text of `/proc/cpuinfo`, or nil when it has none.
    ///
    /// x86_64 kernels print `model name`. aarch64 kernels usually print no name, only
    /// `CPU implementer` and `CPU part` codes. This maps them to the core names listed in the
    /// Linux kernel's `arch/arm64/include/asm/cputype.h`, and unknown codes come out as
    /// `implementer 0x.. part 0x...`. Some aarch64 kernels print a `Hardware` line instead.
    public static func cpuModel(fromCPUInfo text: String) -> String? {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil, !value.isEmpty { fields[key] = value }
        }

        if let name = fields["model name"] ?? fields["Model name"] { return name }
        if let implementer = fields["CPU implementer"], let part = fields["CPU part"] {
            let key = "\(implementer.lowercased()):\(part.lowercased())"
            return armCoreNames[key] ?? "implementer \(implementer) part \(part)"
        }
        return fields["Hardware"]
    }

    /// Arm core names by `CPU implementer:CPU part`.
    private static let armCoreNames: [String: String] = [
        "0x41:0xd03": "Arm Cortex-A53", "0x41:0xd04": "Arm Cortex-A35", "0x41:0xd05": "Arm Cortex-A55",
        "0x41:0xd07": "Arm Cortex-A57", "0x41:0xd08": "Arm Cortex-A72", "0x41:0xd09": "Arm Cortex-A73",
        "0x41:0xd0a": "Arm Cortex-A75", "0x41:0xd0b": "Arm Cortex-A76", "0x41:0xd0c": "Arm Neoverse N1",
        "0x41:0xd0d": "Arm Cortex-A77", "0x41:0xd40": "Arm Neoverse V1", "0x41:0xd41": "Arm Cortex-A78",
        "0x41:0xd44": "Arm Cortex-X1", "0x41:0xd46": "Arm Cortex-A510", "0x41:0xd47": "Arm Cortex-A710",
        "0x41:0xd48": "Arm Cortex-X2", "0x41:0xd49": "Arm Neoverse N2", "0x41:0xd4f": "Arm Neoverse V2",
        "0x41:0xd83": "Arm Neoverse V3AE", "0x41:0xd84": "Arm Neoverse V3", "0x41:0xd8e": "Arm Neoverse N3",
        "0x61:0x022": "Apple M1 Icestorm", "0x61:0x023": "Apple M1 Firestorm",
        "0xc0:0xac3": "Ampere-1", "0x46:0x001": "Fujitsu A64FX",
    ]

    /// Returns the commit that `git rev-parse HEAD` reports for the checkout containing
    /// `directory`, or `unknown` when git is missing or the folder is not in a repository.
    public static func gitCommit(in directory: URL) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path, "rev-parse", "HEAD"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "unknown"
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        let commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let isHash = commit.count >= 40 && commit.allSatisfy { $0.isHexDigit }
        return process.terminationStatus == 0 && isHash ? commit : "unknown"
    }

    /// Returns the provenance of measurements taken now on this machine.
    /// - Parameters:
    ///   - toolVersion: the Factorize version, which the CLI module defines.
    ///   - checkout: a folder inside the Factorize checkout, for the git commit.
    public static func provenance(toolVersion: String, checkout: URL) -> Provenance {
        Provenance(cpuModel: cpuModel(), toolVersion: toolVersion, gitCommit: gitCommit(in: checkout))
    }
}

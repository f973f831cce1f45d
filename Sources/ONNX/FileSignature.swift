import Foundation

/// Recognizes common non-ONNX files by their first bytes, for a clearer error than a
/// protobuf decoding failure.
enum FileSignature {
    private static let signatures: [(bytes: [UInt8], kind: String)] = [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ([0x47, 0x49, 0x46, 0x38], "a GIF image"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (PyTorch checkpoints are ZIP archives)"),
        ([0x1F, 0x8B], "a gzip stream"),
        ([0x25, 0x50, 0x44, 0x46], "a PDF document"),
        ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable"),
        ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59], "a NumPy array file"),
    ]

    /// Names the kind of file whose signature starts `bytes`, or returns nil.
    static func knownKind(of bytes: UnsafeRawBufferPointer) -> String? {
        for signature in signatures where bytes.starts(with: signature.bytes) {
            return signature.kind
        }
        return nil
    }

    /// True when the first bytes are printable ASCII or whitespace, as in a text file. A
    /// binary ModelProto almost always starts with the ir_version key 0x08, a control character.
    static func looksLikeText(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let prefix = bytes.prefix(64)
        return !prefix.isEmpty && prefix.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}

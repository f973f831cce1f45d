import Foundation
import Study
import TestSupport
import Testing

/// Digests from FIPS 180-4's example computations and NIST's short-message test vectors.
@Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
])
func sha256KnownVectors(message: String, digest: String) {
    #expect(SHA256.hexDigest(of: Data(message.utf8)) == digest)
}

@Test func sha256MillionCharacters() {
    let message = Data(repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(SHA256.hexDigest(of: message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func sha256PiecewiseMatchesWhole() {
    let message = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    var hasher = SHA256()
    var offset = 0
    for length in [0, 1, 62, 3, 64, 65, 127, 200] {
        hasher.update(message[offset..<(offset + length)])
        offset += length
    }
    hasher.update(message[offset...])
    #expect(SHA256.hexString(hasher.finalize()) == SHA256.hexDigest(of: message))
}

/// Lengths around the 55/56/64-byte padding boundaries, checked against Python's hashlib.
@Test(.enabled(if: TestEnvironment.python != nil, "needs the oracle Python interpreter (FACTORIZE_PYTHON)"))
func sha256MatchesHashlib() throws {
    let lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097]
    let script = """
        import hashlib, sys
        for n in map(int, sys.argv[1:]):
            data = bytes((i * 131 + 17) % 256 for i in range(n))
            print(hashlib.sha256(data).hexdigest())
        """
    let output = try TestEnvironment.runPython(["-c", script] + lengths.map(String.init))
    let expected = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    try #require(expected.count == lengths.count)

    for (length, digest) in zip(lengths, expected) {
        let data = Data((0..<length).map { UInt8(($0 * 131 + 17) % 256) })
        #expect(SHA256.hexDigest(of: data) == digest, "length \(length)")
    }
}

@Test(.enabled(if: TestEnvironment.python != nil, "needs the oracle Python interpreter (FACTORIZE_PYTHON)"))
func sha256OfFileMatchesHashlib() throws {
    let folder = try TestEnvironment.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("model.bin")
    // Larger than the 1 MiB read chunk and not a multiple of the 64-byte block.
    let data = Data((0..<(3 << 20) + 13).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
    try data.write(to: file)

    let script = "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())"
    let output = try TestEnvironment.runPython(["-c", script, file.path])
    let expected = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(try SHA256.hexDigest(ofFileAt: file) == expected)
}

import Foundation

/// SHA-256 message digest as specified in FIPS 180-4 ("Secure Hash Standard", NIST, 2015),
/// section 6.2. Results documents identify model files by this digest.
///
/// Feed bytes with `update(_:)` in as many pieces as convenient, then call `finalize()`.
/// Foundation on Linux has no SHA-256 and CryptoKit is not available there, so the
/// package carries its own implementation.
public struct SHA256: Sendable {
    /// Length of a digest in bytes.
    public static let digestByteCount = 32

    private static let blockByteCount = 64

    /// Round constants K0…K63: the first 32 bits of the fractional parts of the cube roots
    /// of the first 64 primes (FIPS 180-4, section 4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Initial hash value H(0): the first 32 bits of the fractional parts of the square roots
    /// of the first 8 primes (FIPS 180-4, section 5.3.3).
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )

    /// Bytes of an incomplete block, kept until 64 bytes are available.
    private var pending: [UInt8] = []
    private var messageByteCount: UInt64 = 0

    public init() {
        pending.reserveCapacity(Self.blockByteCount)
    }

    /// Appends bytes to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        messageByteCount &+= UInt64(bytes.count)
        var offset = 0

        if !pending.isEmpty {
            let take = min(Self.blockByteCount - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            offset = take
            if pending.count == Self.blockByteCount {
                pending.withUnsafeBytes { compress(blocks: $0) }
                pending.removeAll(keepingCapacity: true)
            }
        }

        let wholeBlockBytes = (bytes.count - offset) / Self.blockByteCount * Self.blockByteCount
        if wholeBlockBytes > 0 {
            compress(blocks: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + wholeBlockBytes)]))
            offset += wholeBlockBytes
        }
        pending.append(contentsOf: bytes[offset...])
    }

    /// Appends bytes to the message.
    public mutating func update<Bytes: DataProtocol>(_ bytes: Bytes) {
        for region in bytes.regions {
            region.withUnsafeBytes { update($0) }
        }
    }

    /// Pads the message (FIPS 180-4, section 5.1.1) and returns the 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        let messageBitCount = messageByteCount &* 8

        // One 0x80 byte, zeros up to 56 bytes modulo 64, then the bit length big-endian.
        var padding: [UInt8] = [0x80]
        let usedInLastBlock = (pending.count + 1) % Self.blockByteCount
        let zeroCount = (56 - usedInLastBlock + Self.blockByteCount) % Self.blockByteCount
        padding.append(contentsOf: repeatElement(0, count: zeroCount))
        for shift in stride(from: 56, through: 0, by: -8) {
            padding.append(UInt8(truncatingIfNeeded: messageBitCount >> UInt64(shift)))
        }
        let countBeforePadding = messageByteCount
        padding.withUnsafeBytes { update($0) }
        messageByteCount = countBeforePadding
        precondition(pending.isEmpty, "SHA-256 padding must end on a block boundary")

        var digest: [UInt8] = []
        digest.reserveCapacity(Self.digestByteCount)
        for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
            digest.append(contentsOf: [
                UInt8(truncatingIfNeeded: word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word),
            ])
        }
        return digest
    }

    /// Runs the compression function (FIPS 180-4, section 6.2.2) over whole 64-byte blocks.
    private mutating func compress(blocks: UnsafeRawBufferPointer) {
        precondition(blocks.count % Self.blockByteCount == 0, "SHA-256 compresses whole blocks only")
        var schedule = [UInt32](repeating: 0, count: 64)
        Self.roundConstants.withUnsafeBufferPointer { constants in
            schedule.withUnsafeMutableBufferPointer { w in
                var blockStart = 0
                while blockStart < blocks.count {
                    for t in 0..<16 {
                        let base = blockStart + 4 * t
                        w[t] =
                            UInt32(blocks[base]) << 24 | UInt32(blocks[base + 1]) << 16
                            | UInt32(blocks[base + 2]) << 8 | UInt32(blocks[base + 3])
                    }
                    for t in 16..<64 {
                        let s0 = rotateRight(w[t - 15], 7) ^ rotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3)
                        let s1 = rotateRight(w[t - 2], 17) ^ rotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10)
                        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                    }
                    compressBlock(schedule: UnsafeBufferPointer(w), constants: constants)
                    blockStart += Self.blockByteCount
                }
            }
        }
    }

    /// Applies the 64 rounds to one message schedule and adds the result into the state.
    private mutating func compressBlock(
        schedule w: UnsafeBufferPointer<UInt32>, constants k: UnsafeBufferPointer<UInt32>
    ) {
        var (a, b, c, d, e, f, g, h) = state
        for t in 0..<64 {
            let sigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
            let choice = (e & f) ^ (~e & g)
            let temporary1 = h &+ sigma1 &+ choice &+ k[t] &+ w[t]
            let sigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let temporary2 = sigma0 &+ majority
            h = g
            g = f
            f = e
            e = d &+ temporary1
            d = c
            c = b
            b = a
            a = temporary1 &+ temporary2
        }
        state = (
            state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
            state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
        )
    }
}

@inline(__always)
private func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value >> count) | (value << (32 - count))
}

extension SHA256 {
    /// Returns the digest of `bytes` as 64 lowercase hexadecimal characters.
    public static func hexDigest<Bytes: DataProtocol>(of bytes: Bytes) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hexString(hasher.finalize())
    }

    /// Returns the digest of a file's contents as 64 lowercase hexadecimal characters.
    ///
    /// Reads the file in 1 MiB chunks, so memory use does not grow with the file size.
    /// - Throws: `ResultsStoreError.unreadableFile` when the file cannot be opened or read.
    public static func hexDigest(ofFileAt url: URL) throws -> String {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ResultsStoreError.unreadableFile(path: url.path, reason: "\(error)")
        }
        defer { try? handle.close() }

        var hasher = SHA256()
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw ResultsStoreError.unreadableFile(path: url.path, reason: "\(error)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(chunk)
        }
        return hexString(hasher.finalize())
    }

    /// Formats digest bytes as lowercase hexadecimal.
    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

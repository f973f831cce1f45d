import Foundation

/// Everything needed to continue a run exactly: weights, BatchNormalization buffers, optimizer
/// state, the position in the data stream and the running epoch statistics.
///
/// Shuffling, augmentation and Dropout draw from generators seeded by (seed, epoch, batch) and
/// (seed, step), so `seed`, `epoch`, `batchInEpoch` and `step` fix the random state;
/// `generatorState` stores the seed of the next batch's generator as a consistency check.
struct Checkpoint {
    var seed: UInt64
    /// Optimizer steps done over the whole run.
    var step: Int
    var epoch: Int
    /// Batches of `epoch` already trained on.
    var batchInEpoch: Int
    var optimizerSteps: Int
    var generatorState: UInt64
    var epochLossSum: Double
    var epochCorrect: Int
    var epochSeen: Int
    var tensors: [Entry]

    struct Entry {
        enum Kind: UInt8 { case parameter = 0, buffer = 1, firstMoment = 2, secondMoment = 3 }
        var kind: Kind
        var name: String
        var shape: [Int]
        var values: [Float]
    }

    private static let magic = Array("FZTRAIN1".utf8)

    /// Serializes little-endian and writes to a temporary file renamed over `url`, so a crash
    /// leaves either the old or the new checkpoint.
    func write(to url: URL) throws {
        var data = Data(Self.magic)
        for word in [seed, UInt64(step), UInt64(epoch), UInt64(batchInEpoch), UInt64(optimizerSteps), generatorState] {
            data.appendLittleEndian(word)
        }
        data.appendLittleEndian(epochLossSum.bitPattern)
        data.appendLittleEndian(UInt64(epochCorrect))
        data.appendLittleEndian(UInt64(epochSeen))
        data.appendLittleEndian(UInt64(tensors.count))
        for entry in tensors {
            data.append(entry.kind.rawValue)
            let name = Array(entry.name.utf8)
            data.appendLittleEndian(UInt64(name.count))
            data.append(contentsOf: name)
            data.appendLittleEndian(UInt64(entry.shape.count))
            for extent in entry.shape { data.appendLittleEndian(UInt64(extent)) }
            data.appendLittleEndian(UInt64(entry.values.count))
            // Both supported targets (x86_64, aarch64) are little-endian, so the bytes go out as stored.
            entry.values.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.appendingPathExtension("partial")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            throw TrainingError.invalidCheckpoint(path: url.path, detail: "rename from \(temporary.lastPathComponent) failed (errno \(errno))")
        }
    }

    /// Reads a checkpoint written by `write(to:)`.
    static func read(from url: URL) throws -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TrainingError.invalidCheckpoint(path: url.path, detail: "file not found or unreadable")
        }
        var reader = ByteReader(bytes: [UInt8](data), path: url.path)
        guard Array(try reader.take(magic.count)) == magic else {
            throw TrainingError.invalidCheckpoint(path: url.path, detail: "not a Factorize training checkpoint (magic differs)")
        }
        let seed = try reader.word()
        let step = Int(try reader.word())
        let epoch = Int(try reader.word())
        let batchInEpoch = Int(try reader.word())
        let optimizerSteps = Int(try reader.word())
        let generatorState = try reader.word()
        let lossSum = Double(bitPattern: try reader.word())
        let correct = Int(try reader.word())
        let seen = Int(try reader.word())
        let count = Int(try reader.word())
        var tensors: [Entry] = []
        for _ in 0..<count {
            guard let kind = Entry.Kind(rawValue: try reader.take(1).first!) else {
                throw TrainingError.invalidCheckpoint(path: url.path, detail: "unknown entry kind at byte \(reader.offset - 1)")
            }
            let name = String(decoding: try reader.take(Int(try reader.word())), as: UTF8.self)
            let rank = Int(try reader.word())
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try reader.word())) }
            let valueCount = Int(try reader.word())
            let raw = try reader.take(valueCount * 4)
            var values = [Float](repeating: 0, count: valueCount)
            values.withUnsafeMutableBytes { $0.copyBytes(from: raw) }
            tensors.append(Entry(kind: kind, name: name, shape: shape, values: values))
        }
        return Checkpoint(
            seed: seed, step: step, epoch: epoch, batchInEpoch: batchInEpoch, optimizerSteps: optimizerSteps,
            generatorState: generatorState, epochLossSum: lossSum, epochCorrect: correct, epochSeen: seen, tensors: tensors)
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else {
            throw TrainingError.invalidCheckpoint(path: path, detail: "truncated at byte \(offset), needs \(count) more")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func word() throws -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try take(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }
}

extension Data {
    fileprivate mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

import Foundation
import Graph

extension TensorData {
    /// Decodes float32 elements; throws for any other element type.
    func floatElements(name: String) throws -> [Float] {
        guard elementType == .float else {
            throw TrainingError.unsupportedElementType(value: name, elementType: elementType)
        }
        var result = [Float](repeating: 0, count: count)
        result.withUnsafeMutableBytes { destination in
            _ = bytes.copyBytes(to: destination)
        }
        return result.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
    }

    /// Decodes int64 or int32 elements as `Int`.
    func integerElements(name: String) throws -> [Int] {
        switch elementType {
        case .int64:
            var raw = [Int64](repeating: 0, count: count)
            raw.withUnsafeMutableBytes { _ = bytes.copyBytes(to: $0) }
            return raw.map { Int(Int64(littleEndian: $0)) }
        case .int32:
            var raw = [Int32](repeating: 0, count: count)
            raw.withUnsafeMutableBytes { _ = bytes.copyBytes(to: $0) }
            return raw.map { Int(Int32(littleEndian: $0)) }
        default:
            throw TrainingError.unsupportedElementType(value: name, elementType: elementType)
        }
    }
}

extension Node {
    func intAttribute(_ key: String, default value: Int) -> Int {
        if case .int(let v)? = attributes[key] { return v }
        return value
    }

    func floatAttribute(_ key: String, default value: Float) -> Float {
        if case .float(let v)? = attributes[key] { return v }
        return value
    }

    func intsAttribute(_ key: String) -> [Int]? {
        if case .ints(let v)? = attributes[key] { return v }
        return nil
    }

    func stringAttribute(_ key: String) -> String? {
        if case .string(let v)? = attributes[key] { return v }
        return nil
    }
}

/// A value on the unpickler's stack. Containers live in `PickleResult.objects` and are
/// referenced by index, so a value never nests: deeply nested or cyclic pickles cannot
/// overflow the call stack when values are released or walked.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits, as two's-complement little-endian bytes.
    case largeInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case object(Int)
    case global(PickleGlobal)
    case storage(StorageReference)
    case tensor(TensorDescriptor)
}

/// A container built by the unpickler.
enum PickleObject {
    case tuple([PickleValue])
    case list([PickleValue])
    case dictionary(PickleDictionary)
}

/// A dict key. State dicts and their metadata use only strings and integers as keys.
enum PickleKey: Hashable, CustomStringConvertible {
    case string(String)
    case int(Int)

    var description: String {
        switch self {
        case .string(let text): return "'\(text)'"
        case .int(let number): return String(number)
        }
    }
}

/// An insertion-ordered dict, as both `dict` and `collections.OrderedDict` unpickle.
struct PickleDictionary {
    private(set) var keys: [PickleKey] = []
    private(set) var values: [PickleValue] = []
    private var positions: [PickleKey: Int] = [:]

    mutating func set(_ value: PickleValue, forKey key: PickleKey) {
        if let position = positions[key] {
            values[position] = value
        } else {
            positions[key] = keys.count
            keys.append(key)
            values.append(value)
        }
    }

    func value(forKey key: PickleKey) -> PickleValue? {
        positions[key].map { values[$0] }
    }
}

/// Globals the restricted unpickler resolves. Every other `module.name` is rejected.
enum PickleGlobal: Equatable {
    case orderedDict
    case rebuildTensorV2
    case rebuildTensor
    case rebuildParameter
    /// A typed storage class such as `torch.FloatStorage`.
    case storageType(StorageKind)
    /// A dtype object such as `torch.float32`.
    case dtype(StorageKind)

    /// Resolves an allowlisted global, or returns nil.
    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("torch", _):
            if let kind = StorageKind(storageClass: name) {
                self = .storageType(kind)
            } else if let kind = StorageKind(dtypeName: name) {
                self = .dtype(kind)
            } else {
                return nil
            }
        default: return nil
        }
    }
}

/// The element type of a storage: one the readers convert, or the name of one they reject
/// with `CheckpointError.unsupportedElementType` when a tensor uses it.
enum StorageKind: Equatable {
    case supported(StoredElementType)
    case unsupported(String)

    init?(storageClass name: String) {
        switch name {
        case "FloatStorage": self = .supported(.float32)
        case "HalfStorage": self = .supported(.float16)
        case "BFloat16Storage": self = .supported(.bfloat16)
        case "LongStorage": self = .supported(.int64)
        case "DoubleStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage":
            self = .unsupported(name)
        default: return nil
        }
    }

    init?(dtypeName name: String) {
        switch name {
        case "float32": self = .supported(.float32)
        case "float16": self = .supported(.float16)
        case "bfloat16": self = .supported(.bfloat16)
        case "int64": self = .supported(.int64)
        case "float64", "int32", "int16", "int8", "uint8", "bool": self = .unsupported(name)
        default: return nil
        }
    }
}

/// A storage named by a persistent id: its key in the container, element type, declared
/// element count, and for legacy storage views the element range of the view.
struct StorageReference: Equatable {
    var key: String
    var kind: StorageKind
    var declaredCount: Int
    var view: Range<Int>?
}

/// A tensor as `_rebuild_tensor_v2` describes it: a strided view of a storage, in elements.
struct TensorDescriptor: Equatable {
    var storage: StorageReference
    var offset: Int
    var shape: [Int]
    var strides: [Int]
}

/// The object an unpickler returned by STOP, with the containers it refers to.
struct PickleResult {
    var root: PickleValue
    var objects: [PickleObject]

    func dictionary(_ value: PickleValue) -> PickleDictionary? {
        guard case .object(let index) = value, case .dictionary(let dictionary) = objects[index] else { return nil }
        return dictionary
    }

    func items(_ value: PickleValue) -> [PickleValue]? {
        guard case .object(let index) = value else { return nil }
        switch objects[index] {
        case .tuple(let items), .list(let items): return items
        case .dictionary: return nil
        }
    }

    func isTensor(_ value: PickleValue) -> Bool {
        if case .tensor = value { return true }
        return false
    }

    /// Describes a value's kind for error messages, such as "a tuple" or "None".
    func kindName(_ value: PickleValue) -> String {
        switch value {
        case .none: return "None"
        case .bool: return "a bool"
        case .int, .largeInt: return "an int"
        case .float: return "a float"
        case .string: return "a string"
        case .bytes: return "bytes"
        case .global: return "a class or function"
        case .storage: return "a storage"
        case .tensor: return "a tensor"
        case .object(let index):
            switch objects[index] {
            case .tuple: return "a tuple"
            case .list: return "a list"
            case .dictionary: return "a dict"
            }
        }
    }
}

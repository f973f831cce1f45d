import Backends
import Foundation

// The spec reader walks `Backends.JSONValue` trees instead of using `Decodable` so that
// errors can name the full key path and unknown keys can be rejected.
extension JSONValue {
    /// Name of the JSON type, for error messages.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The value as it appears in JSON, shortened for error messages.
    var shortText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .number(let value): return formatNumber(value)
        case .string(let value): return "\"\(value)\""
        case .array: return "[…]"
        case .object: return "{…}"
        }
    }
}

/// Formats a number without a fractional part when it is integral (`4`, `0.5`).
func formatNumber(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

/// Reads one JSON object of the spec, tracking its key path for error messages.
struct SpecObjectReader {
    /// Key path of this object, such as `fine_tune.distillation`; empty at the top level.
    let path: String
    let fields: [String: JSONValue]

    init(path: String, value: JSONValue) throws(StudySpecError) {
        guard case .object(let fields) = value else {
            throw .wrongType(key: path.isEmpty ? "top level" : path, expected: "an object", found: value.typeName)
        }
        self.path = path
        self.fields = fields
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Throws `unknownKey` for the first key, in sorted order, outside `allowed`.
    func rejectUnknownKeys(allowed: [String]) throws(StudySpecError) {
        for key in fields.keys.sorted() where !allowed.contains(key) {
            throw .unknownKey(key: keyPath(key), allowed: allowed)
        }
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    func require(_ key: String) throws(StudySpecError) -> JSONValue {
        guard let value = value(key) else { throw .missingKey(key: keyPath(key)) }
        return value
    }

    func string(_ key: String) throws(StudySpecError) -> String? {
        guard let value = value(key) else { return nil }
        return try Self.string(value, key: keyPath(key))
    }

    func int(_ key: String) throws(StudySpecError) -> Int? {
        guard let value = value(key) else { return nil }
        return try Self.int(value, key: keyPath(key))
    }

    func double(_ key: String) throws(StudySpecError) -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value else {
            throw .wrongType(key: keyPath(key), expected: "a number", found: value.typeName)
        }
        return number
    }

    func bool(_ key: String) throws(StudySpecError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw .wrongType(key: keyPath(key), expected: "true or false", found: value.typeName)
        }
        return flag
    }

    func object(_ key: String) throws(StudySpecError) -> SpecObjectReader? {
        guard let value = value(key) else { return nil }
        return try SpecObjectReader(path: keyPath(key), value: value)
    }

    /// Returns the array at `key` with each element's key path (`methods[2]`), or nil when absent.
    /// - Throws: `wrongType` when it is not an array, `emptyList` when it has no elements.
    func array(_ key: String) throws(StudySpecError) -> [(key: String, value: JSONValue)]? {
        guard let value = value(key) else { return nil }
        guard case .array(let elements) = value else {
            throw .wrongType(key: keyPath(key), expected: "an array", found: value.typeName)
        }
        guard !elements.isEmpty else { throw .emptyList(key: keyPath(key)) }
        return elements.enumerated().map { (key: "\(keyPath(key))[\($0.offset)]", value: $0.element) }
    }

    static func string(_ value: JSONValue, key: String) throws(StudySpecError) -> String {
        guard case .string(let text) = value else {
            throw .wrongType(key: key, expected: "a string", found: value.typeName)
        }
        return text
    }

    static func int(_ value: JSONValue, key: String) throws(StudySpecError) -> Int {
        guard case .number(let number) = value else {
            throw .wrongType(key: key, expected: "an integer", found: value.typeName)
        }
        guard number.rounded() == number, abs(number) < 1e15 else {
            throw .invalidValue(key: key, value: value.shortText, reason: "expected an integer")
        }
        return Int(number)
    }
}

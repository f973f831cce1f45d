import Graph

/// Typed attribute access with ONNX defaults. A present attribute of the wrong kind is an error.
extension Node {
    func intAttribute(_ name: String, default value: Int) throws -> Int {
        switch attributes[name] {
        case nil: return value
        case .int(let x): return x
        default: throw invalid("attribute '\(name)' must be an int")
        }
    }

    func floatAttribute(_ name: String, default value: Float) throws -> Float {
        switch attributes[name] {
        case nil: return value
        case .float(let x): return x
        case .int(let x): return Float(x)
        default: throw invalid("attribute '\(name)' must be a float")
        }
    }

    func intsAttribute(_ name: String) throws -> [Int]? {
        switch attributes[name] {
        case nil: return nil
        case .ints(let x): return x
        case .int(let x): return [x]
        default: throw invalid("attribute '\(name)' must be a list of ints")
        }
    }

    func stringAttribute(_ name: String, default value: String) throws -> String {
        switch attributes[name] {
        case nil: return value
        case .string(let x): return x
        default: throw invalid("attribute '\(name)' must be a string")
        }
    }

    func invalid(_ reason: String) -> RuntimeError {
        .invalidNode(node: name, opType: opType, reason: reason)
    }
}

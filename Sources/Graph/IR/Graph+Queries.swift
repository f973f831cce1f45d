extension Graph {
    /// Index of the node that produces each value.
    public var producerIndex: [String: Int] {
        var result: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            for output in node.outputs where !output.isEmpty { result[output] = index }
        }
        return result
    }

    /// Indices of the nodes that read each value, in node order (a node reading a value twice appears twice).
    public var consumerIndices: [String: [Int]] {
        var result: [String: [Int]] = [:]
        for (index, node) in nodes.enumerated() {
            for input in node.inputs where !input.isEmpty { result[input, default: []].append(index) }
        }
        return result
    }

    /// Names of the graph outputs.
    public var outputNames: Set<String> { Set(outputs.map(\.name)) }
}

extension Node {
    /// Integer attribute, or `defaultValue` when absent or of another type.
    public func int(_ name: String, default defaultValue: Int) -> Int {
        if case let .int(value)? = attributes[name] { return value }
        return defaultValue
    }

    /// Integer attribute, or nil when absent.
    public func int(_ name: String) -> Int? {
        if case let .int(value)? = attributes[name] { return value }
        return nil
    }

    /// Float attribute, or `defaultValue` when absent.
    public func float(_ name: String, default defaultValue: Float) -> Float {
        if case let .float(value)? = attributes[name] { return value }
        return defaultValue
    }

    /// Integer-list attribute, or nil when absent.
    public func ints(_ name: String) -> [Int]? {
        if case let .ints(values)? = attributes[name] { return values }
        return nil
    }

    /// String attribute, or `defaultValue` when absent.
    public func string(_ name: String, default defaultValue: String) -> String {
        if case let .string(value)? = attributes[name] { return value }
        return defaultValue
    }

    /// Input at `index`, or nil when absent or empty (an omitted optional input).
    public func input(_ index: Int) -> String? {
        index < inputs.count && !inputs[index].isEmpty ? inputs[index] : nil
    }
}

extension Graph {
    /// Checks the graph's structure and throws the first problem found.
    ///
    /// `duplicateOutput`: two producers define one value. `undefinedInput`: a node
    /// reads a value nothing defines. `wrongInputCount` and `missingAttribute`: a node
    /// violates its operator's schema at `opset`, or a Constant has no value.
    /// Operators outside the default domain or unknown to this module are checked
    /// for defined inputs only.
    public func validate(opset: Int) throws {
        var defined = Set(inputs.map(\.name))
        for name in initializers.keys { defined.insert(name) }
        for node in nodes {
            for output in node.outputs where !output.isEmpty {
                guard defined.insert(output).inserted else {
                    throw GraphError.duplicateOutput(node: node.name, opType: node.opType, output: output)
                }
            }
        }

        for node in nodes {
            for input in node.inputs where !input.isEmpty && !defined.contains(input) {
                throw GraphError.undefinedInput(node: node.name, opType: node.opType, input: input)
            }
            try node.validateAgainstSchema(opset: opset)
        }
    }
}

extension Model {
    /// Validates the graph against the model's default-domain opset; see `Graph.validate(opset:)`.
    public func validate() throws {
        try graph.validate(opset: opsetVersion)
    }
}

extension Node {
    func validateAgainstSchema(opset: Int) throws {
        guard domain.isEmpty || domain == "ai.onnx", let schema = OperatorSchema.lookup(opType, opset: opset) else { return }

        // Trailing empty names are omitted optional inputs and do not count.
        var count = inputs.count
        while count > 0 && inputs[count - 1].isEmpty { count -= 1 }
        if !schema.inputCount.contains(count) {
            throw GraphError.wrongInputCount(node: name, opType: opType, count: count, expected: schema.inputCount)
        }
        for attribute in schema.requiredAttributes where attributes[attribute] == nil {
            throw GraphError.missingAttribute(node: name, opType: opType, attribute: attribute)
        }
        if opType == "Constant" && attributes.isEmpty {
            throw GraphError.missingAttribute(node: name, opType: opType, attribute: "value")
        }
    }
}

import ONNX

extension Node {
    /// Converts a NodeProto with its attributes.
    public init(proto: NodeProto) throws {
        var attributes: [String: Attribute] = [:]
        for attribute in proto.attribute {
            attributes[attribute.name] = try Attribute(proto: attribute, node: proto.name, opType: proto.opType)
        }
        self.init(
            name: proto.name, opType: proto.opType, domain: proto.domain,
            inputs: proto.input, outputs: proto.output, attributes: attributes)
    }

    /// The node as a NodeProto; attributes are written in name order.
    public var proto: NodeProto {
        var proto = NodeProto()
        proto.name = name
        proto.opType = opType
        proto.domain = domain
        proto.input = inputs
        proto.output = outputs
        proto.attribute = attributes.keys.sorted().map { attributes[$0]!.proto(name: $0) }
        return proto
    }
}

extension Graph {
    /// Converts a GraphProto. Graph inputs that name an initializer are dropped
    /// from `inputs` (older exporters list every weight as an input), and
    /// `value_info` becomes the `valueInfo` dictionary.
    public init(proto: GraphProto) throws {
        var initializers: [String: TensorData] = [:]
        for tensor in proto.initializer {
            initializers[tensor.name] = try TensorData(proto: tensor)
        }
        var valueInfo: [String: ValueInfo] = [:]
        for info in proto.valueInfo {
            valueInfo[info.name] = ValueInfo(proto: info)
        }
        self.init(
            name: proto.name,
            nodes: try proto.node.map(Node.init(proto:)),
            initializers: initializers,
            inputs: proto.input.filter { initializers[$0.name] == nil }.map(ValueInfo.init(proto:)),
            outputs: proto.output.map(ValueInfo.init(proto:)),
            valueInfo: valueInfo)
    }

    /// The graph as a GraphProto. Initializers are written in the order nodes
    /// first read them, then any unread ones by name, so that output is deterministic.
    public var proto: GraphProto {
        var proto = GraphProto()
        proto.name = name
        proto.node = nodes.map(\.proto)
        proto.initializer = initializerNamesInReadOrder.map { initializers[$0]!.proto(name: $0) }
        proto.input = inputs.map(\.proto)
        proto.output = outputs.map(\.proto)
        proto.valueInfo = valueInfo.keys.sorted().map { valueInfo[$0]!.proto }
        return proto
    }

    /// Initializer names in the order nodes first read them, followed by unread ones sorted by name.
    var initializerNamesInReadOrder: [String] {
        var seen: Set<String> = []
        var ordered: [String] = []
        for node in nodes {
            for input in node.inputs where initializers[input] != nil && !seen.contains(input) {
                seen.insert(input)
                ordered.append(input)
            }
        }
        ordered += initializers.keys.filter { !seen.contains($0) }.sorted()
        return ordered
    }
}

extension Model {
    /// Converts a ModelProto, keeping opset imports, IR version, producer and metadata.
    /// Throws `GraphError.missingGraph` when the proto has no graph.
    public init(proto: ModelProto) throws {
        guard let graph = proto.graph else { throw GraphError.missingGraph }
        var opsets: [String: Int] = [:]
        for opset in proto.opsetImport {
            opsets[opset.domain == "ai.onnx" ? "" : opset.domain] = Int(opset.version)
        }
        self.init(
            graph: try Graph(proto: graph),
            opsets: opsets,
            metadata: proto.metadataProps.map { (key: $0.key, value: $0.value) },
            irVersion: Int(proto.irVersion),
            producerName: proto.producerName,
            producerVersion: proto.producerVersion)
    }

    /// The model as a ModelProto; opset imports are written with the default domain first.
    /// IR versions below 4 require every initializer to be a graph input as well, so
    /// for those the initializers are appended to the inputs.
    public var proto: ModelProto {
        var proto = ModelProto()
        proto.irVersion = Int64(irVersion)
        proto.producerName = producerName
        proto.producerVersion = producerVersion
        proto.graph = graph.proto
        if irVersion < 4 {
            proto.graph?.input += graph.initializerNamesInReadOrder.map { name in
                let tensor = graph.initializers[name]!
                return ValueInfo(name: name, elementType: tensor.elementType, shape: tensor.shape.map(Dim.known)).proto
            }
        }
        proto.opsetImport = opsets.keys.sorted().map { OperatorSetID(domain: $0, version: Int64(opsets[$0]!)) }
        proto.metadataProps = metadata.map { StringStringEntry(key: $0.key, value: $0.value) }
        return proto
    }
}

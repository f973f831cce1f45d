/// Window geometry of a convolution or pooling node along its spatial axes,
/// from `kernel_shape`, `strides`, `dilations`, `pads` and `auto_pad`.
public struct WindowGeometry: Equatable, Sendable {
    public var kernel: [Int]
    public var strides: [Int]
    public var dilations: [Int]
    /// Begin paddings of every spatial axis, then end paddings, as in ONNX `pads`.
    public var pads: [Int]
    public var autoPad: String
    public var ceilMode: Bool

    /// Reads the attributes of `node` for `spatialRank` spatial axes. `kernel` is
    /// used when the node has no `kernel_shape` (Conv takes it from the weight).
    /// Throws `GraphError.invalidAttribute` for lists of the wrong length or non-positive values.
    public init(node: Node, spatialRank: Int, kernel defaultKernel: [Int]? = nil) throws {
        func list(_ name: String, count: Int, default value: Int) throws -> [Int] {
            let values = node.ints(name) ?? [Int](repeating: value, count: count)
            guard values.count == count else {
                throw GraphError.invalidAttribute(node: node.name, opType: node.opType, attribute: name, reason: "expected \(count) values, found \(values)")
            }
            return values
        }
        guard let kernel = node.ints("kernel_shape") ?? defaultKernel else {
            throw GraphError.missingAttribute(node: node.name, opType: node.opType, attribute: "kernel_shape")
        }
        self.kernel = kernel
        strides = try list("strides", count: spatialRank, default: 1)
        dilations = try list("dilations", count: spatialRank, default: 1)
        pads = try list("pads", count: 2 * spatialRank, default: 0)
        autoPad = node.string("auto_pad", default: "NOTSET")
        ceilMode = node.int("ceil_mode", default: 0) != 0
        guard kernel.count == spatialRank else {
            throw GraphError.invalidAttribute(node: node.name, opType: node.opType, attribute: "kernel_shape", reason: "expected \(spatialRank) values, found \(kernel)")
        }
        for (name, values) in [("kernel_shape", kernel), ("strides", strides), ("dilations", dilations)] where values.contains(where: { $0 < 1 }) {
            throw GraphError.invalidAttribute(node: node.name, opType: node.opType, attribute: name, reason: "values must be positive, found \(values)")
        }
        guard ["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(autoPad) else {
            throw GraphError.invalidAttribute(node: node.name, opType: node.opType, attribute: "auto_pad", reason: "'\(autoPad)' is not NOTSET, VALID, SAME_UPPER or SAME_LOWER")
        }
    }

    /// Paddings actually applied for input extents `spatial` (begins then ends):
    /// `pads` for NOTSET, zeros for VALID, and for SAME_UPPER/SAME_LOWER the total
    /// padding that gives ceil(extent / stride) outputs, with the odd element at the
    /// end (UPPER) or the beginning (LOWER).
    public func resolvedPads(spatial: [Int]) -> [Int] {
        let rank = kernel.count
        switch autoPad {
        case "VALID":
            return [Int](repeating: 0, count: 2 * rank)
        case "SAME_UPPER", "SAME_LOWER":
            var result = [Int](repeating: 0, count: 2 * rank)
            for axis in 0..<rank {
                let outputExtent = (spatial[axis] + strides[axis] - 1) / strides[axis]
                let effectiveKernel = dilations[axis] * (kernel[axis] - 1) + 1
                let total = max(0, (outputExtent - 1) * strides[axis] + effectiveKernel - spatial[axis])
                let smaller = total / 2
                let larger = total - smaller
                result[axis] = autoPad == "SAME_UPPER" ? smaller : larger
                result[axis + rank] = autoPad == "SAME_UPPER" ? larger : smaller
            }
            return result
        default:
            return pads
        }
    }

    /// Output extents for input extents `spatial`; `nil` entries mark unknown inputs.
    func outputExtents(spatial: [Int?]) -> [Int?] {
        let rank = kernel.count
        return (0..<rank).map { axis -> Int? in
            guard let extent = spatial[axis] else { return nil }
            if autoPad.hasPrefix("SAME") { return (extent + strides[axis] - 1) / strides[axis] }
            let padded = autoPad == "VALID" ? extent : extent + pads[axis] + pads[axis + rank]
            let span = padded - (dilations[axis] * (kernel[axis] - 1) + 1)
            guard span >= 0 else { return 0 }
            var count = (ceilMode ? (span + strides[axis] - 1) / strides[axis] : span / strides[axis]) + 1
            // With ceil_mode, the last window must start inside the input or its begin padding.
            if ceilMode && (count - 1) * strides[axis] >= extent + (autoPad == "VALID" ? 0 : pads[axis]) { count -= 1 }
            return count
        }
    }
}

extension NodeInference {
    func convolution() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        let w = try rankedShape(1)
        guard x.count >= 3, w.count == x.count else {
            throw mismatch("input \(describe(x)) and weight \(describe(w)) must have equal rank of at least 3")
        }
        let spatialRank = x.count - 2
        let group = node.int("group", default: 1)
        guard group >= 1 else { throw invalid("group", "must be positive, found \(group)") }

        let weightKernel = w[2...].compactMap(\.extent)
        let geometry = try WindowGeometry(node: node, spatialRank: spatialRank, kernel: weightKernel.count == spatialRank ? weightKernel : nil)
        if let channels = x[1].extent, let perGroup = w[1].extent, channels != perGroup * group {
            throw mismatch("input has \(channels) channels but the weight \(describe(w)) with group \(group) expects \(perGroup * group)")
        }
        if let outputChannels = w[0].extent, outputChannels % group != 0 {
            throw mismatch("\(outputChannels) output channels are not divisible by group \(group)")
        }
        if let bias = inputs.count > 2 ? inputs[2]?.shape : nil, bias.count != 1 || (bias[0].extent != nil && w[0].extent != nil && bias[0] != w[0]) {
            throw mismatch("bias \(describe(bias)) must be 1-D with \(describe([w[0]])) elements")
        }

        let spatial = geometry.outputExtents(spatial: x[2...].map(\.extent))
        return output(data.elementType, [x[0], w[0]] + spatial.map { $0.map(Dim.known) ?? .unknown })
    }

    func pooling() throws -> [ValueInfo] {
        let data = try input(0)
        let x = try rankedShape(0)
        guard x.count >= 3 else { throw mismatch("input \(describe(x)) must have rank of at least 3") }
        let geometry = try WindowGeometry(node: node, spatialRank: x.count - 2)
        let spatial = geometry.outputExtents(spatial: x[2...].map(\.extent))
        let shape = [x[0], x[1]] + spatial.map { $0.map(Dim.known) ?? .unknown }
        return [output(data.elementType, shape), output(.int64, shape)]
    }

    func globalPooling() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        guard x.count >= 3 else { throw mismatch("input \(describe(x)) must have rank of at least 3") }
        return output(data.elementType, [x[0], x[1]] + [Dim](repeating: .known(1), count: x.count - 2))
    }
}

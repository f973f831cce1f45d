/// Merges constant zero Pad nodes into the Conv nodes that read them, adding the
/// spatial paddings to the Conv's `pads`.
///
/// A Pad qualifies when its mode is "constant" and its fill value is absent or zero.
/// Its pads (attribute or initializer) must be non-negative and zero on the batch
/// and channel axes. Every reader of its output must be a Conv that takes it as
/// input 0 with `auto_pad` absent or NOTSET. The Pad's output must
/// not be a graph output. Run `foldConstants` first so that computed pads are initializers.
///
/// Idempotent. Throws `GraphError.cycle` for cyclic graphs.
public func fusePadIntoConv(_ model: Model) throws -> Model {
    var graph = try model.graph.sortedTopologically()
    var index = 0
    while index < graph.nodes.count {
        if graph.nodes[index].opType == "Pad", graph.fusePad(at: index) {
            continue
        }
        index += 1
    }
    graph.removeUnusedInitializers()
    var result = model
    result.graph = graph
    return result
}

extension Graph {
    mutating func fusePad(at index: Int) -> Bool {
        let pad = nodes[index]
        guard let data = pad.input(0), let padded = pad.outputs.first, !outputNames.contains(padded),
              pad.string("mode", default: "constant") == "constant", pad.input(3) == nil,
              let readers = consumerIndices[padded], !readers.isEmpty,
              let pads = constantPads(of: pad), pads.allSatisfy({ $0 >= 0 }), pads.count % 2 == 0, isZeroFill(pad)
        else { return false }
        let rank = pads.count / 2
        guard rank >= 3, pads[0] == 0, pads[1] == 0, pads[rank] == 0, pads[rank + 1] == 0 else { return false }

        for reader in readers {
            let conv = nodes[reader]
            guard conv.opType == "Conv", conv.inputs.first == padded, conv.inputs.dropFirst().allSatisfy({ $0 != padded }),
                  conv.string("auto_pad", default: "NOTSET") == "NOTSET" else { return false }
        }

        let spatialRank = rank - 2
        for reader in readers {
            let existing = nodes[reader].ints("pads") ?? [Int](repeating: 0, count: 2 * spatialRank)
            guard existing.count == 2 * spatialRank else { return false }
            var merged = existing
            for axis in 0..<spatialRank {
                merged[axis] += pads[axis + 2]
                merged[axis + spatialRank] += pads[rank + axis + 2]
            }
            nodes[reader].attributes["pads"] = .ints(merged)
            nodes[reader].inputs[0] = data
        }
        nodes.remove(at: index)
        valueInfo[padded] = nil
        return true
    }

    private func constantPads(of pad: Node) -> [Int]? {
        if let values = pad.ints("pads") { return values }
        guard let name = pad.input(1), let values = initializers[name]?.integers() else { return nil }
        return values.map { Int($0) }
    }

    private func isZeroFill(_ pad: Node) -> Bool {
        guard let name = pad.input(2) else { return pad.float("value", default: 0) == 0 }
        guard let tensor = initializers[name], let value = ConstantValue(tensor) else { return false }
        return value.doubles.allSatisfy { $0 == 0 }
    }
}

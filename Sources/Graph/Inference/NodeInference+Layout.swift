extension NodeInference {
    func flatten() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        let axis = try self.axis(node.int("axis", default: 1), rank: x.count + 1)
        func product(_ dims: ArraySlice<Dim>) -> Dim {
            dims.count == 1 ? dims.first! : Array(dims).knownProduct.map(Dim.known) ?? .unknown
        }
        return output(data.elementType, [axis == 0 ? .known(1) : product(x[..<axis]), axis == x.count ? .known(1) : product(x[axis...])])
    }

    func reshape() throws -> ValueInfo {
        let data = try input(0)
        let allowZero = node.int("allowzero", default: 0) != 0
        let requested: [Int64]
        if opset < 5, let values = node.ints("shape") {
            requested = values.map { Int64($0) }
        } else if let constant = constants.count > 1 ? constants[1] : nil {
            requested = constant.integers
        } else {
            let rank = (try? rankedShape(1))?.first?.extent
            return output(data.elementType, rank.map { [Dim](repeating: .unknown, count: $0) })
        }

        if let extents = data.shape?.knownExtents {
            guard let shape = ShapeArithmetic.reshape(extents, to: requested, allowZero: allowZero) else {
                throw mismatch("cannot reshape \(extents) (\(extents.reduce(1, *)) elements) to \(requested)")
            }
            return output(data.elementType, [Dim](extents: shape))
        }
        // Partially known input: copied and explicit extents are exact, -1 stays unknown.
        let shape = requested.enumerated().map { axis, extent -> Dim in
            if extent == 0 && !allowZero { return data.shape.flatMap { axis < $0.count ? $0[axis] : nil } ?? .unknown }
            return extent == -1 ? .unknown : .known(Int(extent))
        }
        return output(data.elementType, shape)
    }

    func transpose() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        let permutation = node.ints("perm") ?? Array((0..<x.count).reversed())
        guard permutation.sorted() == Array(0..<x.count) else {
            throw invalid("perm", "\(permutation) is not a permutation of 0..<\(x.count)")
        }
        return output(data.elementType, permutation.map { x[$0] })
    }

    func squeeze() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        switch integerList(attribute: "axes", input: 1) {
        case let .known(values):
            let axes = Set(try values.map { try axis(Int($0), rank: x.count, attribute: "axes") })
            for axis in axes where x[axis].extent.map({ $0 != 1 }) ?? false {
                throw mismatch("cannot squeeze axis \(axis) of \(describe(x)), its extent is not 1")
            }
            return output(data.elementType, x.indices.filter { !axes.contains($0) }.map { x[$0] })
        case .absent:
            guard x.allSatisfy({ $0.extent != nil }) else { return output(data.elementType, nil) }
            return output(data.elementType, x.filter { $0 != .known(1) })
        case .unknown:
            return output(data.elementType, nil)
        }
    }

    func unsqueeze() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        guard case let .known(values) = integerList(attribute: "axes", input: 1) else {
            if case .absent = integerList(attribute: "axes", input: 1) {
                throw GraphError.missingAttribute(node: node.name, opType: node.opType, attribute: "axes")
            }
            return output(data.elementType, nil)
        }
        let rank = x.count + values.count
        let axes = Set(try values.map { try axis(Int($0), rank: rank, attribute: "axes") })
        guard axes.count == values.count else { throw invalid("axes", "\(values) repeats an axis") }
        var remaining = x.makeIterator()
        return output(data.elementType, (0..<rank).map { axes.contains($0) ? .known(1) : remaining.next()! })
    }

    func concat() throws -> ValueInfo {
        let parts = try inputs.indices.filter { inputs[$0] != nil }.map { try rankedShape($0) }
        let first = try input(0)
        guard let rank = parts.first?.count else { throw mismatch("Concat needs at least one input") }
        let axis = try self.axis(node.int("axis") ?? 0, rank: rank)
        var shape = parts[0]
        for part in parts.dropFirst() {
            guard part.count == rank else { throw mismatch("inputs have ranks \(parts.map(\.count))") }
            for index in 0..<rank where index != axis {
                if let a = shape[index].extent, let b = part[index].extent, a != b {
                    throw mismatch("inputs \(describe(parts[0])) and \(describe(part)) differ on axis \(index), not only on the concatenation axis \(axis)")
                }
                if shape[index].extent == nil { shape[index] = part[index] }
            }
            shape[axis] = shape[axis] + part[axis]
        }
        return output(first.elementType, shape)
    }

    func pad() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        guard case let .known(pads) = integerList(attribute: "pads", input: 1) else {
            return output(data.elementType, [Dim](repeating: .unknown, count: x.count))
        }
        let axes: [Int]
        switch integerList(attribute: "", input: 3) {
        case let .known(values): axes = try values.map { try axis(Int($0), rank: x.count, attribute: "axes") }
        case .absent: axes = Array(x.indices)
        case .unknown: return output(data.elementType, [Dim](repeating: .unknown, count: x.count))
        }
        guard pads.count == 2 * axes.count else {
            throw invalid("pads", "expected \(2 * axes.count) values for input \(describe(x)), found \(pads)")
        }
        var shape = x
        for (position, axis) in axes.enumerated() {
            shape[axis] = shape[axis] + .known(Int(pads[position] + pads[position + axes.count]))
            if let extent = shape[axis].extent, extent < 0 { throw mismatch("negative pads \(pads) remove more elements than input \(describe(x)) contains") }
        }
        return output(data.elementType, shape)
    }
}

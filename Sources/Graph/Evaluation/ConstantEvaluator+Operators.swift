extension EvaluationNode {
    /// Flat source indices that broadcast `shape` to `target` (numpy rules).
    private func broadcastIndices(from shape: [Int], to target: [Int]) -> [Int] {
        let strides = rowMajorStrides(shape)
        let offset = target.count - shape.count
        var indices: [Int] = []
        indices.reserveCapacity(target.reduce(1, *))
        forEachIndex(of: target) { index in
            var flat = 0
            for axis in shape.indices where shape[axis] != 1 { flat += index[axis + offset] * strides[axis] }
            indices.append(flat)
        }
        return indices
    }

    func binary(_ lhs: ConstantValue) throws -> ConstantValue? {
        guard let rhs = constantInput(1) else { return nil }
        guard let shape = ShapeArithmetic.broadcast(lhs.shape, rhs.shape) else {
            throw mismatch("shapes \(lhs.shape) and \(rhs.shape) do not broadcast")
        }
        let left = lhs.gathering(broadcastIndices(from: lhs.shape, to: shape), shape: shape)
        let right = rhs.gathering(broadcastIndices(from: rhs.shape, to: shape), shape: shape)

        if ["Equal", "Less", "Greater"].contains(node.opType) {
            return ConstantValue(integers: compare(left, right), shape: shape, elementType: .bool)
        }

        switch (left.elements, right.elements) {
        case let (.integer(a), .integer(b)):
            var result: [Int64] = []
            result.reserveCapacity(a.count)
            for (x, y) in zip(a, b) {
                switch node.opType {
                case "Add": result.append(x &+ y)
                case "Sub": result.append(x &- y)
                case "Mul": result.append(x &* y)
                default:
                    guard y != 0 else { throw mismatch("integer division by zero") }
                    result.append(x / y)
                }
            }
            return ConstantValue(integers: result, shape: shape, elementType: lhs.elementType)
        default:
            let a = left.doubles
            let b = right.doubles
            let operation: (Double, Double) -> Double
            switch node.opType {
            case "Add": operation = (+)
            case "Sub": operation = (-)
            case "Mul": operation = (*)
            default: operation = (/)
            }
            var result = zip(a, b).map(operation)
            // Float32 results are rounded to float32, as a float32 kernel would.
            if lhs.elementType == .float { result = result.map { Double(Float($0)) } }
            return ConstantValue(elementType: lhs.elementType, shape: shape, elements: .floating(result))
        }
    }

    /// Compares equal-shaped operands elementwise, exactly for integers, returning 1 for true and 0 for false.
    private func compare(_ left: ConstantValue, _ right: ConstantValue) -> [Int64] {
        func apply<T: Comparable>(_ a: [T], _ b: [T]) -> [Int64] {
            zip(a, b).map { x, y in
                switch node.opType {
                case "Equal": return x == y ? 1 : 0
                case "Less": return x < y ? 1 : 0
                default: return x > y ? 1 : 0
                }
            }
        }
        if case let .integer(a) = left.elements, case let .integer(b) = right.elements { return apply(a, b) }
        return apply(left.doubles, right.doubles)
    }

    func gather(_ data: ConstantValue) throws -> ConstantValue? {
        guard let indices = constantInput(1) else { return nil }
        let axis = try self.axis(node.int("axis", default: 0), rank: data.shape.count)
        let extent = data.shape[axis]
        let resolved = try indices.integers.map { raw -> Int in
            let index = raw < 0 ? Int(raw) + extent : Int(raw)
            guard (0..<extent).contains(index) else { throw mismatch("index \(raw) is out of range for axis \(axis) of extent \(extent)") }
            return index
        }
        let outer = data.shape[..<axis].reduce(1, *)
        let inner = data.shape[(axis + 1)...].reduce(1, *)
        var flat: [Int] = []
        for o in 0..<outer {
            for index in resolved {
                for i in 0..<inner { flat.append((o * extent + index) * inner + i) }
            }
        }
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        return data.gathering(flat, shape: shape)
    }

    func concat() throws -> ConstantValue? {
        let parts = node.inputs.indices.compactMap { constantInput($0) }
        guard parts.count == node.inputs.filter({ !$0.isEmpty }).count, let first = parts.first else { return nil }
        let axis = try self.axis(try requiredInt("axis"), rank: first.shape.count)
        var shape = first.shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        for part in parts where part.shape.count != shape.count
            || part.shape.indices.contains(where: { $0 != axis && part.shape[$0] != shape[$0] }) {
            throw mismatch("cannot concatenate shape \(part.shape) with \(first.shape) along axis \(axis)")
        }
        let outer = shape[..<axis].reduce(1, *)
        var combined: [Double] = []
        var combinedIntegers: [Int64] = []
        for o in 0..<outer {
            for part in parts {
                let block = part.shape[axis...].reduce(1, *)
                let range = (o * block)..<((o + 1) * block)
                if first.isFloating { combined += part.doubles[range] } else { combinedIntegers += part.integers[range] }
            }
        }
        let elements: ConstantValue.Elements = first.isFloating ? .floating(combined) : .integer(combinedIntegers)
        return ConstantValue(elementType: first.elementType, shape: shape, elements: elements)
    }

    func slice(_ data: ConstantValue) throws -> ConstantValue? {
        guard case let .known(starts) = integerList(attribute: "starts", input: 1),
              case let .known(ends) = integerList(attribute: "ends", input: 2) else { return nil }
        let axesList = integerList(attribute: "axes", input: 3)
        let stepsList = integerList(attribute: "steps", input: 4)
        if case .unknown = axesList { return nil }
        if case .unknown = stepsList { return nil }
        let rank = data.shape.count
        let axes = try axesList.values(default: (0..<starts.count).map { Int64($0) }).map { try axis(Int($0), rank: rank, attribute: "axes") }
        let steps = stepsList.values(default: [Int64](repeating: 1, count: starts.count))
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw invalid("starts", "starts, ends, axes and steps must have equal lengths")
        }

        var first = [Int](repeating: 0, count: rank)
        var step = [Int](repeating: 1, count: rank)
        var shape = data.shape
        for (position, axis) in axes.enumerated() {
            guard steps[position] != 0 else { throw invalid("steps", "a step of 0 is not allowed") }
            let range = ShapeArithmetic.sliceRange(start: starts[position], end: ends[position], step: steps[position], extent: data.shape[axis])
            (first[axis], step[axis], shape[axis]) = (range.start, range.step, range.count)
        }
        let strides = rowMajorStrides(data.shape)
        var flat: [Int] = []
        forEachIndex(of: shape) { index in
            flat.append(index.indices.reduce(0) { $0 + (first[$1] + index[$1] * step[$1]) * strides[$1] })
        }
        return data.gathering(flat, shape: shape)
    }

    func unsqueeze(_ data: ConstantValue) throws -> ConstantValue? {
        guard case let .known(axes) = integerList(attribute: "axes", input: 1) else { return nil }
        let rank = data.shape.count + axes.count
        let resolved = Set(try axes.map { try axis(Int($0), rank: rank, attribute: "axes") })
        var extents = data.shape.makeIterator()
        return data.reshaped((0..<rank).map { resolved.contains($0) ? 1 : extents.next()! })
    }

    func squeeze(_ data: ConstantValue) throws -> ConstantValue? {
        let axesList = integerList(attribute: "axes", input: 1)
        if case .unknown = axesList { return nil }
        let rank = data.shape.count
        let axes = try Set(axesList.values(default: data.shape.indices.filter { data.shape[$0] == 1 }.map { Int64($0) })
            .map { try axis(Int($0), rank: rank, attribute: "axes") })
        for axis in axes where data.shape[axis] != 1 {
            throw mismatch("cannot squeeze axis \(axis) of extent \(data.shape[axis])")
        }
        return data.reshaped(data.shape.indices.filter { !axes.contains($0) }.map { data.shape[$0] })
    }

    func reshape(_ data: ConstantValue) throws -> ConstantValue? {
        guard let requested = constantInput(1) else { return nil }
        guard let shape = ShapeArithmetic.reshape(data.shape, to: requested.integers, allowZero: node.int("allowzero", default: 0) != 0) else {
            throw mismatch("cannot reshape \(data.shape) to \(requested.integers)")
        }
        return data.reshaped(shape)
    }

    func flatten(_ data: ConstantValue) throws -> ConstantValue {
        let rank = data.shape.count
        let axis = try self.axis(node.int("axis", default: 1), rank: rank + 1)
        return data.reshaped([data.shape[..<axis].reduce(1, *), data.shape[axis...].reduce(1, *)])
    }

    func transpose(_ data: ConstantValue) throws -> ConstantValue {
        let rank = data.shape.count
        let permutation = node.ints("perm") ?? Array((0..<rank).reversed())
        guard permutation.sorted() == Array(0..<rank) else { throw invalid("perm", "\(permutation) is not a permutation of 0..<\(rank)") }
        let strides = rowMajorStrides(data.shape)
        let shape = permutation.map { data.shape[$0] }
        var flat: [Int] = []
        forEachIndex(of: shape) { index in
            flat.append(index.indices.reduce(0) { $0 + index[$1] * strides[permutation[$1]] })
        }
        return data.gathering(flat, shape: shape)
    }

    func pad(_ data: ConstantValue) throws -> ConstantValue? {
        guard node.string("mode", default: "constant") == "constant",
              case let .known(pads) = integerList(attribute: "pads", input: 1) else { return nil }
        let rank = data.shape.count
        let axesList = integerList(attribute: "", input: 3)
        if case .unknown = axesList { return nil }
        let axes = try axesList.values(default: (0..<rank).map { Int64($0) }).map { try axis(Int($0), rank: rank, attribute: "axes") }
        guard pads.count == 2 * axes.count else { throw invalid("pads", "expected \(2 * axes.count) values, found \(pads.count)") }
        var before = [Int](repeating: 0, count: rank)
        var after = [Int](repeating: 0, count: rank)
        for (position, axis) in axes.enumerated() {
            before[axis] = Int(pads[position])
            after[axis] = Int(pads[position + axes.count])
        }
        guard before.allSatisfy({ $0 >= 0 }), after.allSatisfy({ $0 >= 0 }) else { return nil }

        var fill = 0.0
        if let value = constantInput(2) { fill = value.doubles.first ?? 0 }
        else if node.input(2) != nil { return nil }
        else { fill = Double(node.float("value", default: 0)) }

        let shape = (0..<rank).map { data.shape[$0] + before[$0] + after[$0] }
        let source = data.doubles
        let strides = rowMajorStrides(data.shape)
        var result: [Double] = []
        forEachIndex(of: shape) { index in
            var flat = 0
            for axis in 0..<rank {
                let position = index[axis] - before[axis]
                guard (0..<data.shape[axis]).contains(position) else { result.append(fill); return }
                flat += position * strides[axis]
            }
            result.append(source[flat])
        }
        return ConstantValue(elementType: data.elementType, shape: shape, elements: .floating(result)).cast(to: data.elementType)
    }

    func select(_ condition: ConstantValue) throws -> ConstantValue? {
        guard let x = constantInput(1), let y = constantInput(2) else { return nil }
        guard let partial = ShapeArithmetic.broadcast(condition.shape, x.shape),
              let shape = ShapeArithmetic.broadcast(partial, y.shape) else {
            throw mismatch("shapes \(condition.shape), \(x.shape) and \(y.shape) do not broadcast")
        }
        let mask = condition.gathering(broadcastIndices(from: condition.shape, to: shape), shape: shape).integers
        let left = x.gathering(broadcastIndices(from: x.shape, to: shape), shape: shape)
        let right = y.gathering(broadcastIndices(from: y.shape, to: shape), shape: shape)
        switch (left.elements, right.elements) {
        case let (.integer(a), .integer(b)):
            return ConstantValue(integers: mask.indices.map { mask[$0] != 0 ? a[$0] : b[$0] }, shape: shape, elementType: x.elementType)
        default:
            let a = left.doubles, b = right.doubles
            return ConstantValue(elementType: x.elementType, shape: shape, elements: .floating(mask.indices.map { mask[$0] != 0 ? a[$0] : b[$0] }))
        }
    }

    func range(_ start: ConstantValue) throws -> ConstantValue? {
        guard let limit = constantInput(1), let delta = constantInput(2) else { return nil }
        if start.isFloating {
            let (first, last, step) = (start.doubles[0], limit.doubles[0], delta.doubles[0])
            guard step != 0 else { throw mismatch("delta must not be 0") }
            let count = max(0, Int(((last - first) / step).rounded(.up)))
            let values = (0..<count).map { first + Double($0) * step }
            return ConstantValue(elementType: start.elementType, shape: [count], elements: .floating(values)).cast(to: start.elementType)
        }
        let (first, last, step) = (start.integers[0], limit.integers[0], delta.integers[0])
        guard step != 0 else { throw mismatch("delta must not be 0") }
        let span = last - first
        let count = max(0, Int(step > 0 ? (span + step - 1) / step : (span + step + 1) / step))
        return ConstantValue(integers: (0..<count).map { first + Int64($0) * step }, shape: [count], elementType: start.elementType)
    }
}

extension IntegerList {
    /// Returns the known values, or `defaultValues` when absent. Precondition: not `.unknown`.
    func values(default defaultValues: [Int64]) -> [Int64] {
        switch self {
        case let .known(values): return values
        case .absent: return defaultValues
        case .unknown: preconditionFailure("integer list is not constant")
        }
    }
}

extension NodeInference {
    func shape() throws -> ValueInfo {
        let x = try rankedShape(0)
        let rank = x.count
        func clampBound(_ bound: Int) -> Int { min(max(bound < 0 ? bound + rank : bound, 0), rank) }
        let length = max(0, clampBound(node.int("end", default: rank)) - clampBound(node.int("start", default: 0)))
        return output(.int64, [.known(length)])
    }

    func gather() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        let indices = try input(1)
        let axis = try self.axis(node.int("axis", default: 0), rank: x.count)
        guard let indexShape = indices.shape else { return output(data.elementType, nil) }
        return output(data.elementType, Array(x[..<axis]) + indexShape + Array(x[(axis + 1)...]))
    }

    func slice() throws -> ValueInfo {
        let data = try input(0)
        let x = try rankedShape(0)
        guard case let .known(starts) = integerList(attribute: "starts", input: 1),
              case let .known(ends) = integerList(attribute: "ends", input: 2) else {
            return output(data.elementType, [Dim](repeating: .unknown, count: x.count))
        }
        let axesList = integerList(attribute: "axes", input: 3)
        let stepsList = integerList(attribute: "steps", input: 4)
        guard case let .known(axesValues) = axesList.orDefault((0..<starts.count).map { Int64($0) }),
              case let .known(steps) = stepsList.orDefault([Int64](repeating: 1, count: starts.count)) else {
            return output(data.elementType, [Dim](repeating: .unknown, count: x.count))
        }
        guard ends.count == starts.count, axesValues.count == starts.count, steps.count == starts.count else {
            throw invalid("starts", "starts \(starts), ends \(ends), axes \(axesValues) and steps \(steps) must have equal lengths")
        }
        var shape = x
        for (position, axisValue) in axesValues.enumerated() {
            let axis = try self.axis(Int(axisValue), rank: x.count, attribute: "axes")
            guard steps[position] != 0 else { throw invalid("steps", "a step of 0 is not allowed") }
            guard let extent = x[axis].extent else { shape[axis] = .unknown; continue }
            shape[axis] = .known(ShapeArithmetic.sliceRange(start: starts[position], end: ends[position], step: steps[position], extent: extent).count)
        }
        return output(data.elementType, shape)
    }

    func constantOfShape() throws -> ValueInfo {
        var elementType = ElementType.float
        if case let .tensor(tensor)? = node.attributes["value"] { elementType = tensor.elementType }
        if let constant = constants.first ?? nil {
            return output(elementType, constant.integers.map { .known(Int($0)) })
        }
        let rank = try rankedShape(0).first?.extent
        return output(elementType, rank.map { [Dim](repeating: .unknown, count: $0) })
    }

    func range() throws -> ValueInfo {
        output(try input(0).elementType, [.unknown])
    }
}

extension IntegerList {
    func orDefault(_ values: [Int64]) -> IntegerList {
        if case .absent = self { return .known(values) }
        return self
    }
}

extension Graph {
    /// Reorders `nodes` so that every node follows the producers of its inputs.
    ///
    /// The sort is stable: among nodes whose inputs are ready, the one that came
    /// first keeps precedence (Kahn's algorithm with a min-heap on the original
    /// index), so an already sorted graph is left unchanged. Values that no node
    /// produces (graph inputs, initializers, undefined names) count as ready;
    /// `validate()` reports undefined ones.
    ///
    /// Throws `GraphError.cycle` naming a node on a cycle.
    /// - Complexity: O((n + e) log n) for n nodes and e input edges.
    public mutating func sortTopologically() throws {
        let producer = producerIndex
        var pendingCount = [Int](repeating: 0, count: nodes.count)
        var dependents = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for input in Set(node.inputs) where !input.isEmpty {
                guard let source = producer[input], source != index else {
                    if producer[input] == index { throw GraphError.cycle(node: node.name, opType: node.opType) }
                    continue
                }
                pendingCount[index] += 1
                dependents[source].append(index)
            }
        }

        var ready = MinHeap(nodes.indices.filter { pendingCount[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        while let index = ready.popMin() {
            order.append(index)
            for dependent in dependents[index] {
                pendingCount[dependent] -= 1
                if pendingCount[dependent] == 0 { ready.insert(dependent) }
            }
        }

        if order.count < nodes.count {
            let stuck = nodes.indices.first { pendingCount[$0] > 0 }!
            throw GraphError.cycle(node: nodes[stuck].name, opType: nodes[stuck].opType)
        }
        nodes = order.map { nodes[$0] }
    }

    /// Returns a copy with nodes in topological order; see `sortTopologically()`.
    public func sortedTopologically() throws -> Graph {
        var copy = self
        try copy.sortTopologically()
        return copy
    }
}

/// Binary min-heap of integers.
struct MinHeap {
    private var elements: [Int] = []

    init(_ values: [Int]) {
        for value in values { insert(value) }
    }

    mutating func insert(_ value: Int) {
        elements.append(value)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child] < elements[parent] else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Int? {
        guard !elements.isEmpty else { return nil }
        elements.swapAt(0, elements.count - 1)
        let minimum = elements.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < elements.count && elements[left] < elements[smallest] { smallest = left }
            if right < elements.count && elements[right] < elements[smallest] { smallest = right }
            guard smallest != parent else { break }
            elements.swapAt(parent, smallest)
            parent = smallest
        }
        return minimum
    }
}

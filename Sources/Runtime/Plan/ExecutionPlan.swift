import Foundation
import LinearAlgebra

/// Addresses of every buffer of a plan, indexed by buffer id. Steps look their
/// operands up here when they run, so the arena can be laid out after the steps exist.
final class BufferTable {
    var pointers: [UnsafeMutablePointer<Float>] = []

    @inline(__always)
    subscript(id: Int) -> UnsafeMutablePointer<Float> { pointers[id] }
}

/// One kernel call of a plan: the node it came from (after fusion, the first node of the
/// fused group) and the closure that runs it.
struct Step {
    let name: String
    let opType: String
    let execute: (BufferTable) -> Void
}

/// A graph input or output bound to a buffer of the plan.
struct BoundValue {
    let name: String
    let buffer: Int
    let shape: [Int]
}

/// The executable form of a model for one set of input shapes: steps in order, one arena
/// for all activations, and memory owned for constants and scratch.
final class ExecutionPlan {
    let steps: [Step]
    let inputs: [BoundValue]
    let outputs: [BoundValue]
    /// Graph outputs that are constants (known without running anything).
    let constantOutputs: [String: Tensor<Float>]
    /// Size of the activation arena in bytes.
    let arenaBytes: Int
    private let table: BufferTable
    private let owned: [UnsafeMutablePointer<Float>]

    init(
        steps: [Step], inputs: [BoundValue], outputs: [BoundValue], constantOutputs: [String: Tensor<Float>],
        buffers: [BufferRecord]
    ) {
        self.steps = steps
        self.inputs = inputs
        self.outputs = outputs
        self.constantOutputs = constantOutputs

        let arenaIDs = buffers.indices.filter { buffers[$0].constant == nil }
        let layout = planArena(arenaIDs.map { buffers[$0].lifetime })
        let arena = UnsafeMutablePointer<Float>.allocate(capacity: max(layout.size, 1))
        arenaBytes = layout.size * MemoryLayout<Float>.stride

        var owned = [arena]
        var pointers = [UnsafeMutablePointer<Float>](repeating: arena, count: buffers.count)
        for (position, id) in arenaIDs.enumerated() { pointers[id] = arena + layout.offsets[position] }
        for (id, buffer) in buffers.enumerated() {
            guard let values = buffer.constant else { continue }
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(values.count, 1))
            pointer.initialize(from: values, count: values.count)
            pointers[id] = pointer
            owned.append(pointer)
        }
        table = BufferTable()
        table.pointers = pointers
        self.owned = owned
    }

    deinit {
        for pointer in owned { pointer.deallocate() }
    }

    /// Copies the inputs in, runs every step, and copies the outputs out. When `timings` is
    /// non-nil it receives the wall time of each step in seconds.
    func run(inputs values: [String: Tensor<Float>], timings: inout [Double]?) -> [String: Tensor<Float>] {
        for input in inputs {
            let tensor = values[input.name]!
            tensor.scalars.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { table[input.buffer].update(from: base, count: source.count) }
            }
        }

        if timings != nil {
            var times = [Double](repeating: 0, count: steps.count)
            for (index, step) in steps.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                step.execute(table)
                times[index] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
            timings = times
        } else {
            for step in steps { step.execute(table) }
        }

        var results = constantOutputs
        for output in outputs {
            let count = Shapes.count(output.shape)
            let scalars = Array(UnsafeBufferPointer(start: table[output.buffer], count: count))
            results[output.name] = Tensor(shape: output.shape, scalars: scalars)
        }
        return results
    }
}

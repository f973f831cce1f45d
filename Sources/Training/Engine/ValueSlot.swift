/// One value of the graph during a training step: its shape, its elements and,
/// after `backward`, the gradient of the loss with respect to it.
final class ValueSlot {
    let name: String
    var shape: [Int]
    var data: [Float]
    /// Same count as `data` once a backward pass touched this value; empty before.
    var grad: [Float]
    /// True when no gradient needs to flow into this value (graph inputs, constants, buffers).
    var isConstant: Bool

    init(name: String, shape: [Int] = [], data: [Float] = [], isConstant: Bool = false) {
        self.name = name
        self.shape = shape
        self.data = data
        self.grad = []
        self.isConstant = isConstant
    }

    var count: Int { data.count }

    /// Sets the gradient to zeros of the value's size, keeping the allocation when it fits.
    func resetGradient() {
        if grad.count == data.count {
            grad.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        } else {
            grad = [Float](repeating: 0, count: data.count)
        }
    }

    /// Replaces shape and elements, reusing the storage when the count is unchanged.
    func assign(shape newShape: [Int], count: Int) {
        shape = newShape
        if data.count != count { data = [Float](repeating: 0, count: count) }
    }
}

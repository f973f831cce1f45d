import Graph

/// Accumulates the nodes and constant initializers that replace one layer.
///
/// Names keep the origin: node `<layer>/<method>/<index>`, its weights
/// `<layer>/<method>/<index>/weight`, intermediate values `…/<index>/output`.
struct ChainBuilder {
    let layerName: String
    let method: String
    private(set) var nodes: [Node] = []
    private(set) var initializers: [String: TensorData] = [:]

    init(layerName: String, method: String) {
        self.layerName = layerName
        self.method = method
    }

    private var prefix: String { "\(layerName)/\(method)/\(nodes.count)" }

    /// Adds a float32 constant and returns its value name.
    mutating func constant(_ suffix: String, _ elements: [Float], shape: [Int]) -> String {
        let name = "\(prefix)/\(suffix)"
        initializers[name] = TensorData(floats: elements, shape: shape)
        return name
    }

    /// Adds an int64 constant (a Reshape shape, for example) and returns its value name.
    mutating func constant(_ suffix: String, int64s: [Int64]) -> String {
        let name = "\(prefix)/\(suffix)"
        initializers[name] = TensorData(int64s: int64s, shape: [int64s.count])
        return name
    }

    /// Appends a node. Its output is `output` when given (the layer's final value),
    /// else a new intermediate value; returns the output's name.
    @discardableResult
    mutating func append(
        _ opType: String, inputs: [String], attributes: [String: Attribute] = [:], output: String? = nil
    ) -> String {
        let name = prefix
        let outputName = output ?? "\(name)/output"
        nodes.append(Node(name: name, opType: opType, inputs: inputs, outputs: [outputName], attributes: attributes))
        return outputName
    }

    /// Appends the Conv nodes of `stages`, from `input` to `output`.
    mutating func appendConvolutions(_ stages: [ConvStage], input: String, output: String) {
        var current = input
        for (index, stage) in stages.enumerated() {
            let weight = constant("weight", stage.weight, shape: stage.weightShape)
            var inputs = [current, weight]
            if let bias = stage.bias {
                inputs.append(constant("bias", bias, shape: [bias.count]))
            }
            let isLast = index == stages.count - 1
            current = append("Conv", inputs: inputs, attributes: stage.geometry.attributes, output: isLast ? output : nil)
        }
    }

    /// Appends `Reshape(value, shape)` and returns its output.
    mutating func reshape(_ value: String, to shape: [Int], output: String? = nil) -> String {
        let shapeName = constant("shape", int64s: shape.map(Int64.init))
        return append("Reshape", inputs: [value, shapeName], output: output)
    }

    /// Appends `MatMul(value, constant matrix)` and returns its output.
    mutating func matMul(_ value: String, rows: Int, columns: Int, _ elements: [Float], output: String? = nil) -> String {
        let weight = constant("weight", elements, shape: [rows, columns])
        return append("MatMul", inputs: [value, weight], output: output)
    }
}

extension ChainBuilder {
    /// Appends the Reshape/Transpose/MatMul chain of a TT- or TR-matrix layer
    /// y = scale · W x + bias for a 2-D input [B, I], ending in `output` [B, O].
    ///
    /// Before step k the activation is laid out as [B, n_k…n_d, (a_0, m_1…m_{k-1}), r_{k-1}];
    /// the step moves n_k next to r_{k-1} and contracts both with one MatMul. A ring
    /// (r_0 > 1) closes with a MatMul against the flattened identity, which takes the trace.
    mutating func appendRingMatrix(
        _ factors: RingMatrixFactors, input: String, scale: Float, bias: [Float]?, output: String
    ) {
        let d = factors.order
        let r0 = factors.ringRank
        let outputs = factors.outputFactors.reduce(1, *)
        var current = input

        for k in 0..<d {
            let nk = factors.inputFactors[k]
            let rPrevious = k == 0 ? 1 : factors.ranks[k]
            let restInputs = factors.inputFactors[(k + 1)...].reduce(1, *)
            let restOutputs = k == 0 ? 1 : r0 * factors.outputFactors[..<k].reduce(1, *)
            let rest = restInputs * restOutputs
            if rest > 1 && nk > 1 {
                current = reshape(current, to: [-1, nk, rest, rPrevious])
                current = append("Transpose", inputs: [current], attributes: ["perm": .ints([0, 2, 1, 3])])
            }
            current = reshape(current, to: [-1, nk * rPrevious])
            let matrix = factors.contractionMatrix(k, scale: k == d - 1 ? scale : 1)
            current = matMul(current, rows: matrix.rows, columns: matrix.columns, matrix.elements)
        }

        if r0 > 1 {
            current = reshape(current, to: [-1, r0, outputs, r0])
            current = append("Transpose", inputs: [current], attributes: ["perm": .ints([0, 2, 1, 3])])
            current = reshape(current, to: [-1, r0 * r0])
            var identity = [Float](repeating: 0, count: r0 * r0)
            for a in 0..<r0 { identity[a * r0 + a] = 1 }
            current = matMul(current, rows: r0 * r0, columns: 1, identity)
        }

        if let bias {
            current = reshape(current, to: [-1, outputs])
            let biasName = constant("bias", bias, shape: [outputs])
            append("Add", inputs: [current, biasName], output: output)
        } else {
            _ = reshape(current, to: [-1, outputs], output: output)
        }
    }

    /// Appends y = scale · W x + bias as two MatMuls, W = left [O, R] · right [R, I].
    mutating func appendLowRankMatrix(
        _ factors: LowRankMatrixFactors, outputs: Int, inputs: Int, input: String, scale: Float, bias: [Float]?,
        output: String
    ) {
        let r = factors.rank
        // MatMul multiplies on the right, so the constants are the transposed factors.
        var first = [Float](repeating: 0, count: inputs * r)
        for k in 0..<r {
            for i in 0..<inputs { first[i * r + k] = factors.right[k * inputs + i] }
        }
        var second = [Float](repeating: 0, count: r * outputs)
        for o in 0..<outputs {
            for k in 0..<r { second[k * outputs + o] = factors.left[o * r + k] * scale }
        }
        let hidden = matMul(input, rows: inputs, columns: r, first)
        if let bias {
            let product = matMul(hidden, rows: r, columns: outputs, second)
            let biasName = constant("bias", bias, shape: [outputs])
            append("Add", inputs: [product, biasName], output: output)
        } else {
            _ = matMul(hidden, rows: r, columns: outputs, second, output: output)
        }
    }
}

import Graph

/// Attribute cases of every operator the engine runs, at batch sizes 1 and 2.
enum OperatorCases {
    static var all: [OperatorCase] { convolutions + pooling + elementwise + layout + linear }

    static var convolutions: [OperatorCase] { [1, 2].flatMap(convolutions) }

    static func convolutions(_ n: Int) -> [OperatorCase] {
        let cases: [OperatorCase] = [
            convolution("conv 3x3 pads 1 n\(n)", x: [n, 4, 9, 9], weights: [6, 4, 3, 3], ["pads": ints([1, 1, 1, 1])]),
            convolution("conv asymmetric pads n\(n)", x: [n, 3, 8, 7], weights: [5, 3, 3, 3], ["pads": ints([0, 1, 2, 0])]),
            convolution("conv stride 2x1 n\(n)", x: [n, 3, 9, 8], weights: [4, 3, 3, 3], ["strides": ints([2, 1]), "pads": ints([1, 1, 1, 1])]),
            convolution("conv dilation 2 n\(n)", x: [n, 3, 11, 10], weights: [4, 3, 3, 3], ["dilations": ints([2, 2]), "pads": ints([2, 1, 2, 1])]),
            convolution("conv groups 2 n\(n)", x: [n, 8, 7, 7], weights: [6, 4, 3, 3], ["group": .int(2), "pads": ints([1, 1, 1, 1])]),
            convolution("conv groups 4 wide n\(n)", x: [n, 64, 6, 6], weights: [32, 16, 3, 3], ["group": .int(4), "pads": ints([1, 1, 1, 1])]),
            convolution("conv depthwise stride 2 n\(n)", x: [n, 6, 9, 9], weights: [6, 1, 3, 3], ["group": .int(6), "strides": ints([2, 2]), "pads": ints([1, 1, 1, 1])]),
            convolution("conv depthwise 5x5 n\(n)", x: [n, 4, 10, 10], weights: [4, 1, 5, 5], ["group": .int(4), "pads": ints([2, 2, 2, 2])]),
            convolution("conv depthwise multiplier 2 n\(n)", x: [n, 3, 7, 7], weights: [6, 1, 3, 3], ["group": .int(3)]),
            convolution("conv kernel 1x3 n\(n)", x: [n, 5, 6, 8], weights: [7, 5, 1, 3], ["pads": ints([0, 1, 0, 1])]),
            convolution("conv kernel 3x1 n\(n)", x: [n, 5, 8, 6], weights: [7, 5, 3, 1], ["pads": ints([1, 0, 1, 0])]),
            convolution("conv depthwise 3x1 n\(n)", x: [n, 5, 8, 6], weights: [5, 1, 3, 1], bias: false, ["group": .int(5), "pads": ints([1, 0, 1, 0])]),
            convolution("conv depthwise 1x3 stride 2 n\(n)", x: [n, 5, 8, 9], weights: [5, 1, 1, 3], ["group": .int(5), "strides": ints([1, 2]), "pads": ints([0, 1, 0, 1])]),
            convolution("conv pointwise n\(n)", x: [n, 16, 5, 5], weights: [8, 16, 1, 1], bias: false, [:]),
            convolution("conv pointwise stride 2 n\(n)", x: [n, 16, 6, 6], weights: [8, 16, 1, 1], ["strides": ints([2, 2])]),
            convolution("conv auto_pad SAME_UPPER n\(n)", x: [n, 3, 8, 8], weights: [4, 3, 4, 4], ["auto_pad": .string("SAME_UPPER"), "strides": ints([2, 2])]),
            convolution("conv auto_pad SAME_LOWER n\(n)", x: [n, 3, 7, 7], weights: [4, 3, 4, 4], ["auto_pad": .string("SAME_LOWER")]),
            convolution("conv auto_pad VALID n\(n)", x: [n, 3, 7, 7], weights: [4, 3, 3, 3], ["auto_pad": .string("VALID"), "strides": ints([2, 2])]),
            convolution("conv winograd pads 1 n\(n)", x: [n, 64, 28, 29], weights: [128, 64, 3, 3], ["pads": ints([1, 1, 1, 1])]),
            convolution("conv winograd asymmetric pads n\(n)", x: [n, 66, 30, 29], weights: [130, 66, 3, 3], bias: false, ["pads": ints([0, 2, 1, 0])]),
            convolution("conv winograd unpadded n\(n)", x: [n, 64, 30, 30], weights: [128, 64, 3, 3], [:]),
            convolution("conv 1-D n\(n)", x: [n, 3, 12], weights: [4, 3, 3], ["pads": ints([1, 2]), "strides": ints([2])]),
        ]
        return cases + shiftedConvolutions(n)
    }

    /// Stride-1 layers with many inputs and few outputs, which run one GEMM per kernel offset.
    static func shiftedConvolutions(_ n: Int) -> [OperatorCase] {
        [
            convolution("conv shifted 3x3 pads 1 n\(n)", x: [n, 32, 9, 11], weights: [16, 32, 3, 3], ["pads": ints([1, 1, 1, 1])]),
            convolution("conv shifted asymmetric pads n\(n)", x: [n, 33, 8, 7], weights: [20, 33, 3, 3], ["pads": ints([0, 1, 2, 0])]),
            convolution("conv shifted dilation 2 n\(n)", x: [n, 32, 11, 10], weights: [8, 32, 3, 3], ["dilations": ints([2, 2]), "pads": ints([2, 1, 2, 1])]),
            convolution("conv shifted kernel 1x3 n\(n)", x: [n, 40, 6, 8], weights: [24, 40, 1, 3], ["pads": ints([0, 1, 0, 1])]),
            convolution("conv shifted 5x5 no bias n\(n)", x: [n, 32, 10, 10], weights: [16, 32, 5, 5], bias: false, ["pads": ints([2, 2, 2, 2])]),
            convolution("conv shifted unpadded n\(n)", x: [n, 32, 9, 9], weights: [16, 32, 3, 3], [:]),
            convolution("conv shifted several tiles n\(n)", x: [n, 32, 40, 12], weights: [16, 32, 3, 3], ["pads": ints([1, 1, 1, 1])]),
            convolution("conv shifted 1-D n\(n)", x: [n, 32, 30], weights: [16, 32, 3], ["pads": ints([1, 1])]),
        ]
    }

    static var pooling: [OperatorCase] { [1, 2].flatMap(pooling) }

    static func pooling(_ n: Int) -> [OperatorCase] {
        let cases: [OperatorCase] = [
            OperatorCase("maxpool 3x3 stride 2 pads 1 n\(n)", "MaxPool", x: [n, 3, 9, 9], attributes: ["kernel_shape": ints([3, 3]), "strides": ints([2, 2]), "pads": ints([1, 1, 1, 1])]),
            OperatorCase("maxpool ceil_mode n\(n)", "MaxPool", x: [n, 2, 8, 8], attributes: ["kernel_shape": ints([3, 3]), "strides": ints([2, 2]), "ceil_mode": .int(1)]),
            OperatorCase("maxpool dilation 2 n\(n)", "MaxPool", x: [n, 2, 9, 9], attributes: ["kernel_shape": ints([2, 2]), "dilations": ints([2, 2]), "pads": ints([1, 0, 1, 0])]),
            OperatorCase("maxpool asymmetric pads stride 2x1 n\(n)", "MaxPool", x: [n, 2, 7, 6], attributes: ["kernel_shape": ints([2, 3]), "strides": ints([2, 1]), "pads": ints([1, 0, 0, 2])]),
            OperatorCase("averagepool exclude pad n\(n)", "AveragePool", x: [n, 3, 7, 7], attributes: ["kernel_shape": ints([3, 3]), "strides": ints([2, 2]), "pads": ints([1, 1, 1, 1])]),
            OperatorCase("averagepool count_include_pad n\(n)", "AveragePool", x: [n, 3, 7, 7], attributes: ["kernel_shape": ints([3, 3]), "strides": ints([2, 2]), "pads": ints([1, 1, 1, 1]), "count_include_pad": .int(1)]),
            OperatorCase("averagepool ceil_mode n\(n)", "AveragePool", x: [n, 2, 8, 8], attributes: ["kernel_shape": ints([3, 3]), "strides": ints([2, 2]), "ceil_mode": .int(1)]),
            OperatorCase("averagepool ceil_mode count_include_pad n\(n)", "AveragePool", x: [n, 2, 8, 8], attributes: ["kernel_shape": ints([3, 3]), "strides": ints([2, 2]), "pads": ints([1, 1, 1, 1]), "ceil_mode": .int(1), "count_include_pad": .int(1)]),
            OperatorCase("averagepool 2x2 n\(n)", "AveragePool", x: [n, 4, 6, 6], attributes: ["kernel_shape": ints([2, 2]), "strides": ints([2, 2])]),
            OperatorCase("globalaveragepool n\(n)", "GlobalAveragePool", x: [n, 5, 7, 6]),
        ]
        return cases
    }

    static var elementwise: [OperatorCase] { [1, 2].flatMap(elementwise) }

    static func elementwise(_ n: Int) -> [OperatorCase] {
        let cases: [OperatorCase] = [
            OperatorCase("relu n\(n)", "Relu", x: [n, 3, 4, 5]),
            OperatorCase("sigmoid n\(n)", "Sigmoid", x: [n, 3, 4, 5]),
            OperatorCase("clip relu6 n\(n)", "Clip", x: [n, 3, 4, 5], extraInputs: ["lo", "hi"], initializers: ["lo": TensorData(floats: [-0.25], shape: []), "hi": TensorData(floats: [0.5], shape: [])]),
            OperatorCase("clip max only n\(n)", "Clip", x: [n, 3, 4, 5], extraInputs: ["", "hi"], initializers: ["hi": TensorData(floats: [0.3], shape: [])]),
            OperatorCase("batchnorm n\(n)", "BatchNormalization", x: [n, 4, 5, 5], extraInputs: ["s", "b", "m", "v"], initializers: batchNormParameters(4), attributes: ["epsilon": .float(1e-3)]),
            OperatorCase("add same shape n\(n)", "Add", x: [n, 3, 4, 5], extraInputs: ["c"], initializers: ["c": .random([n, 3, 4, 5], seed: 3)]),
            OperatorCase("add per channel n\(n)", "Add", x: [n, 3, 4, 5], extraInputs: ["c"], initializers: ["c": .random([3, 1, 1], seed: 3)]),
            OperatorCase("mul last axis n\(n)", "Mul", x: [n, 3, 4, 5], extraInputs: ["c"], initializers: ["c": .random([5], seed: 3)]),
            OperatorCase("sub broadcast both n\(n)", "Sub", x: [n, 3, 1, 5], extraInputs: ["c"], initializers: ["c": .random([4, 1], seed: 3)]),
            OperatorCase("div scalar n\(n)", "Div", x: [n, 3, 4, 5], extraInputs: ["c"], initializers: ["c": TensorData(floats: [1.5], shape: [])]),
            OperatorCase("mul middle axes n\(n)", "Mul", x: [n, 3, 4, 5], extraInputs: ["c"], initializers: ["c": .random([1, 3, 4, 1], seed: 3)]),
            OperatorCase(
                "add two inputs broadcast n\(n)", nodes: [Node(name: "add", opType: "Add", inputs: ["x", "z"], outputs: ["y"])],
                inputs: [("x", [n, 1, 4, 5]), ("z", [n, 3, 1, 5])], initializers: [:]),
        ]
        return cases
    }

    static var layout: [OperatorCase] { [1, 2].flatMap(layout) }

    static func layout(_ n: Int) -> [OperatorCase] {
        let cases: [OperatorCase] = [
            OperatorCase("concat axis 1 n\(n)", "Concat", x: [n, 3, 4, 5], extraInputs: ["c"], initializers: ["c": .random([n, 2, 4, 5], seed: 3)], attributes: ["axis": .int(1)]),
            OperatorCase("concat axis -1 n\(n)", "Concat", x: [n, 3, 4, 5], extraInputs: ["c"], initializers: ["c": .random([n, 3, 4, 2], seed: 3)], attributes: ["axis": .int(-1)]),
            OperatorCase("flatten n\(n)", "Flatten", x: [n, 3, 4, 5], attributes: ["axis": .int(2)]),
            OperatorCase("reshape n\(n)", "Reshape", x: [n, 3, 4, 5], extraInputs: ["s"], initializers: ["s": int64Constant([0, -1, 5])]),
            OperatorCase("transpose n\(n)", "Transpose", x: [n, 3, 4, 5], attributes: ["perm": ints([0, 2, 3, 1])]),
            OperatorCase("squeeze n\(n)", "Squeeze", x: [n, 3, 1, 5], extraInputs: ["a"], initializers: ["a": int64Constant([2])]),
            OperatorCase("unsqueeze n\(n)", "Unsqueeze", x: [n, 3, 5], extraInputs: ["a"], initializers: ["a": int64Constant([1, -1])]),
            OperatorCase("identity n\(n)", "Identity", x: [n, 3, 5]),
            OperatorCase("dropout n\(n)", "Dropout", x: [n, 3, 5]),
            OperatorCase("slice steps n\(n)", "Slice", x: [n, 6, 7, 8], extraInputs: ["st", "en", "ax", "sp"], initializers: ["st": int64Constant([1, -1]), "en": int64Constant([5, 0]), "ax": int64Constant([1, 3]), "sp": int64Constant([2, -2])]),
            OperatorCase("pad constant n\(n)", "Pad", x: [n, 3, 4, 5], extraInputs: ["p", "v"], initializers: ["p": int64Constant([0, 0, 1, 2, 0, 0, 2, 1]), "v": TensorData(floats: [0.5], shape: [])]),
            OperatorCase("pad reflect n\(n)", "Pad", x: [n, 3, 4, 5], extraInputs: ["p"], initializers: ["p": int64Constant([0, 0, 2, 1, 0, 0, 3, 4])], attributes: ["mode": .string("reflect")]),
            OperatorCase("pad edge n\(n)", "Pad", x: [n, 3, 4, 5], extraInputs: ["p"], initializers: ["p": int64Constant([0, 1, 2, 1, 0, 0, 1, 3])], attributes: ["mode": .string("edge")]),
            OperatorCase("reducemean spatial n\(n)", "ReduceMean", x: [n, 3, 4, 5], attributes: ["axes": ints([2, 3]), "keepdims": .int(1)]),
            OperatorCase("reducemean channels n\(n)", "ReduceMean", x: [n, 3, 4, 5], attributes: ["axes": ints([1]), "keepdims": .int(0)]),
            OperatorCase("softmax last axis n\(n)", "Softmax", x: [n, 3, 7]),
            OperatorCase("softmax axis 1 n\(n)", "Softmax", x: [n, 3, 7], attributes: ["axis": .int(1)]),
            OperatorCase("softmax opset 11 n\(n)", "Softmax", x: [n, 3, 7], opset: 11),
        ]
        return cases
    }

    static var linear: [OperatorCase] { [1, 2].flatMap(linear) }

    static func linear(_ n: Int) -> [OperatorCase] {
        let cases: [OperatorCase] = [
            OperatorCase("gemm transB bias n\(n)", "Gemm", x: [n, 6], extraInputs: ["w", "b"], initializers: ["w": .random([4, 6], seed: 1), "b": .random([4], seed: 2)], attributes: ["transB": .int(1)]),
            OperatorCase("gemm alpha beta n\(n)", "Gemm", x: [n, 6], extraInputs: ["w", "b"], initializers: ["w": .random([6, 4], seed: 1), "b": .random([n, 4], seed: 2)], attributes: ["alpha": .float(0.5), "beta": .float(2)]),
            OperatorCase("gemm transA column bias n\(n)", "Gemm", x: [6, n], extraInputs: ["w", "b"], initializers: ["w": .random([6, 4], seed: 1), "b": .random([n, 1], seed: 2)], attributes: ["transA": .int(1)]),
            OperatorCase("gemm transA transB scalar bias n\(n)", "Gemm", x: [6, n], extraInputs: ["w", "b"], initializers: ["w": .random([4, 6], seed: 1), "b": TensorData(floats: [0.7], shape: [])], attributes: ["transA": .int(1), "transB": .int(1), "beta": .float(0.5)]),
            OperatorCase("gemm no bias n\(n)", "Gemm", x: [n, 6], extraInputs: ["w"], initializers: ["w": .random([6, 4], seed: 1)]),
            OperatorCase("matmul 2-D n\(n)", "MatMul", x: [n, 6], extraInputs: ["w"], initializers: ["w": .random([6, 4], seed: 1)]),
            OperatorCase("matmul batched weight n\(n)", "MatMul", x: [n, 3, 5, 6], extraInputs: ["w"], initializers: ["w": .random([6, 4], seed: 1)]),
            OperatorCase("matmul broadcast batches n\(n)", "MatMul", x: [n, 1, 5, 6], extraInputs: ["w"], initializers: ["w": .random([3, 6, 4], seed: 1)]),
            OperatorCase("matmul vector n\(n)", "MatMul", x: [n, 5, 6], extraInputs: ["w"], initializers: ["w": .random([6], seed: 1)]),
        ]
        return cases
    }

    static func batchNormParameters(_ channels: Int) -> [String: TensorData] {
        [
            "s": .random([channels], seed: 11), "b": .random([channels], seed: 12), "m": .random([channels], seed: 13),
            "v": TensorData(floats: randomTensor([channels], seed: 14).scalars.map { $0 + 1.5 }, shape: [channels]),
        ]
    }
}

/// Input arity and required attributes of an operator in the default ONNX domain,
/// for the operator set version a model imports.
struct OperatorSchema {
    var inputCount: ClosedRange<Int>
    var requiredAttributes: [String] = []

    /// Looks up the schema of `opType` at `opset`; nil for operators this module does not cover.
    static func lookup(_ opType: String, opset: Int) -> OperatorSchema? {
        switch opType {
        case "Relu", "Sigmoid", "Identity", "Flatten", "GlobalAveragePool", "GlobalMaxPool", "Softmax",
             "Shape", "ConstantOfShape", "Neg", "Sqrt", "Exp", "Tanh", "Not":
            return OperatorSchema(inputCount: 1...1)
        case "Transpose":
            return OperatorSchema(inputCount: 1...1)
        case "Cast":
            return OperatorSchema(inputCount: 1...1, requiredAttributes: ["to"])
        case "Add", "Mul", "Sub", "Div", "Equal", "Less", "Greater", "Pow", "MatMul", "Gather":
            return OperatorSchema(inputCount: 2...2)
        case "Where", "Range":
            return OperatorSchema(inputCount: 3...3)
        case "Conv":
            return OperatorSchema(inputCount: 2...3)
        case "Gemm":
            return OperatorSchema(inputCount: 2...3)
        case "BatchNormalization":
            return OperatorSchema(inputCount: 5...5)
        case "Clip":
            return OperatorSchema(inputCount: opset < 11 ? 1...1 : 1...3)
        case "Concat":
            return OperatorSchema(inputCount: 1...Int.max, requiredAttributes: ["axis"])
        case "MaxPool", "AveragePool":
            return OperatorSchema(inputCount: 1...1, requiredAttributes: ["kernel_shape"])
        case "ReduceMean", "ReduceSum", "ReduceMax":
            let axesAreInput = opType == "ReduceSum" ? opset >= 13 : opset >= 18
            return OperatorSchema(inputCount: axesAreInput ? 1...2 : 1...1)
        case "Reshape":
            return OperatorSchema(inputCount: opset < 5 ? 1...1 : 2...2, requiredAttributes: opset < 5 ? ["shape"] : [])
        case "Squeeze":
            return OperatorSchema(inputCount: opset < 13 ? 1...1 : 1...2)
        case "Unsqueeze":
            return opset < 13
                ? OperatorSchema(inputCount: 1...1, requiredAttributes: ["axes"])
                : OperatorSchema(inputCount: 2...2)
        case "Dropout":
            return OperatorSchema(inputCount: opset < 12 ? 1...1 : 1...3)
        case "Pad":
            return opset < 11
                ? OperatorSchema(inputCount: 1...1, requiredAttributes: ["pads"])
                : OperatorSchema(inputCount: 2...(opset >= 18 ? 4 : 3))
        case "Slice":
            return opset < 10
                ? OperatorSchema(inputCount: 1...1, requiredAttributes: ["starts", "ends"])
                : OperatorSchema(inputCount: 3...5)
        case "Constant":
            return OperatorSchema(inputCount: 0...0)
        default:
            return nil
        }
    }
}

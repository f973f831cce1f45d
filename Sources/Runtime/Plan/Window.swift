import Graph

/// Sliding-window geometry of Conv, MaxPool and AveragePool along the spatial axes:
/// output extents and resolved pads, after `auto_pad` and `ceil_mode`.
struct Window {
    var output: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]
    var strides: [Int]
    var dilations: [Int]

    /// Resolves the window attributes of `node` for `input` spatial extents and `kernel`.
    /// `extraPads` (begin values, then end values) come from a zero Pad folded into the node.
    init(_ node: Node, input: [Int], kernel: [Int], ceilMode: Bool = false, extraPads: [Int]? = nil) throws {
        let rank = input.count
        strides = try node.intsAttribute("strides") ?? [Int](repeating: 1, count: rank)
        dilations = try node.intsAttribute("dilations") ?? [Int](repeating: 1, count: rank)
        let pads = try node.intsAttribute("pads") ?? [Int](repeating: 0, count: 2 * rank)
        guard strides.count == rank, dilations.count == rank, pads.count == 2 * rank, kernel.count == rank,
            strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }), pads.allSatisfy({ $0 >= 0 })
        else {
            throw node.invalid(
                "strides \(strides), dilations \(dilations), pads \(pads) or kernel \(kernel) do not fit \(rank) spatial axes")
        }
        padsBegin = Array(pads[..<rank])
        padsEnd = Array(pads[rank...])
        if let extraPads {
            for axis in 0..<rank {
                padsBegin[axis] += extraPads[axis]
                padsEnd[axis] += extraPads[rank + axis]
            }
        }

        let autoPad = try node.stringAttribute("auto_pad", default: "NOTSET")
        output = []
        for axis in 0..<rank {
            let span = (kernel[axis] - 1) * dilations[axis] + 1
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                let extent = (input[axis] + strides[axis] - 1) / strides[axis]
                let total = max(0, (extent - 1) * strides[axis] + span - input[axis])
                padsBegin[axis] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                padsEnd[axis] = total - padsBegin[axis]
                output.append(extent)
            case "VALID", "NOTSET":
                if autoPad == "VALID" {
                    padsBegin[axis] = 0
                    padsEnd[axis] = 0
                }
                let room = input[axis] + padsBegin[axis] + padsEnd[axis] - span
                var extent = (ceilMode ? ceilDivide(room, strides[axis]) : floorDivide(room, strides[axis])) + 1
                // A window that would start entirely in the end padding is dropped (ceil_mode only).
                if ceilMode && (extent - 1) * strides[axis] >= input[axis] + padsBegin[axis] { extent -= 1 }
                output.append(extent)
            default:
                throw node.invalid("unknown auto_pad '\(autoPad)'")
            }
        }
        guard output.allSatisfy({ $0 > 0 }) else {
            throw node.invalid("window \(kernel) does not fit input \(input) (output \(output))")
        }
    }

    /// Geometry for NCHW kernels; a 1-D window becomes a 2-D one of height 1.
    func geometry(batch: Int, inputChannels: Int, outputChannels: Int, input: [Int], kernel: [Int], groups: Int)
        -> ConvolutionGeometry
    {
        let twoD = input.count == 2
        return ConvolutionGeometry(
            batch: batch, inputChannels: inputChannels,
            inputHeight: twoD ? input[0] : 1, inputWidth: input[input.count - 1],
            outputChannels: outputChannels,
            outputHeight: twoD ? output[0] : 1, outputWidth: output[output.count - 1],
            kernelHeight: twoD ? kernel[0] : 1, kernelWidth: kernel[kernel.count - 1],
            strideHeight: twoD ? strides[0] : 1, strideWidth: strides[strides.count - 1],
            dilationHeight: twoD ? dilations[0] : 1, dilationWidth: dilations[dilations.count - 1],
            padTop: twoD ? padsBegin[0] : 0, padLeft: padsBegin[padsBegin.count - 1],
            groups: groups)
    }

    /// Bottom (or, for 1-D, zero) and right end pads, for AveragePool's divisor.
    var padBottomRight: (bottom: Int, right: Int) {
        (padsEnd.count == 2 ? padsEnd[0] : 0, padsEnd[padsEnd.count - 1])
    }
}

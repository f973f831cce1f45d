import Graph

/// Kernel size, strides, pads, dilations and groups of a 2-D ONNX `Conv` node,
/// with the defaults ONNX gives omitted attributes.
///
/// Factorized layers split a k_h×k_w convolution into vertical (k_h×1) and
/// horizontal (1×k_w) parts. `vertical` and `horizontal` carry each axis's stride,
/// pads and dilation over to the part that convolves along it, so that stride (2, 1)
/// or pads [0, 1, 1, 0] survive the rewrite.
struct ConvolutionGeometry: Equatable {
    var kernel: (height: Int, width: Int)
    var strides: [Int]
    /// ONNX order: [top, left, bottom, right].
    var pads: [Int]
    var dilations: [Int]
    var group: Int
    /// `auto_pad` when it is not NOTSET; then `pads` is ignored by runtimes.
    var autoPad: String?

    static func == (lhs: ConvolutionGeometry, rhs: ConvolutionGeometry) -> Bool {
        lhs.kernel == rhs.kernel && lhs.strides == rhs.strides && lhs.pads == rhs.pads
            && lhs.dilations == rhs.dilations && lhs.group == rhs.group && lhs.autoPad == rhs.autoPad
    }

    /// Reads the geometry of a Conv node whose weight has shape [O, I/g, kh, kw].
    init(node: Node, weightShape: [Int]) throws {
        guard weightShape.count == 4 else {
            throw FactorizationError.unsupportedLayer(
                node: node.name, reason: "only 2-D convolutions are supported, weight shape is \(weightShape)")
        }
        kernel = (weightShape[2], weightShape[3])
        strides = node.ints("strides") ?? [1, 1]
        pads = node.ints("pads") ?? [0, 0, 0, 0]
        dilations = node.ints("dilations") ?? [1, 1]
        group = node.int("group", default: 1)
        let autoPad = node.string("auto_pad", default: "NOTSET")
        self.autoPad = autoPad == "NOTSET" ? nil : autoPad
        guard strides.count == 2, pads.count == 4, dilations.count == 2 else {
            throw FactorizationError.unsupportedLayer(
                node: node.name,
                reason: "attributes do not describe a 2-D convolution (strides \(strides), pads \(pads), dilations \(dilations))")
        }
    }

    init(kernel: (Int, Int), strides: [Int], pads: [Int], dilations: [Int], group: Int, autoPad: String?) {
        self.kernel = kernel
        self.strides = strides
        self.pads = pads
        self.dilations = dilations
        self.group = group
        self.autoPad = autoPad
    }

    /// A 1×1 convolution with unit stride and no padding.
    static let pointwise = ConvolutionGeometry(
        kernel: (1, 1), strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1, autoPad: nil)

    /// Returns the k_h×1 part, with the vertical stride, pads and dilation and unit horizontal ones.
    func vertical(groups: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(
            kernel: (kernel.height, 1), strides: [strides[0], 1], pads: [pads[0], 0, pads[2], 0],
            dilations: [dilations[0], 1], group: groups, autoPad: autoPad)
    }

    /// Returns the 1×k_w part, with the horizontal stride, pads and dilation and unit vertical ones.
    func horizontal(groups: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(
            kernel: (1, kernel.width), strides: [1, strides[1]], pads: [0, pads[1], 0, pads[3]],
            dilations: [1, dilations[1]], group: groups, autoPad: autoPad)
    }

    /// Returns the same spatial geometry with another group count.
    func withGroups(_ groups: Int) -> ConvolutionGeometry {
        var copy = self
        copy.group = groups
        return copy
    }

    /// True for a 1×1 convolution; pads and strides may still be set.
    var isPointwise: Bool { kernel == (1, 1) }

    /// ONNX attributes of a Conv node with this geometry.
    var attributes: [String: Attribute] {
        var result: [String: Attribute] = [
            "kernel_shape": .ints([kernel.height, kernel.width]),
            "strides": .ints(strides),
            "dilations": .ints(dilations),
            "group": .int(group),
        ]
        if let autoPad {
            result["auto_pad"] = .string(autoPad)
        } else {
            result["pads"] = .ints(pads)
        }
        return result
    }
}

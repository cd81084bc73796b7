import Plot
import TextRules

/// An HTML element for Plot's component DSL whose attribute values are always escaped.
///
/// Plot leaves attribute values as they are, so views build elements through `El` and
/// text through `T`; `CookedHTML` is the only way raw HTML enters a page. `HTMLRenderer`
/// writes these out; the `body` implementations keep them usable with Plot's own renderer.
struct El: Component {
    let name: String
    let attributes: KeyValuePairs<String, String?>
    let content: ContentProvider

    /// `attributes` with a nil value are left out; an empty string renders a bare boolean attribute.
    init(
        _ name: String, _ attributes: KeyValuePairs<String, String?> = [:],
        @ComponentBuilder content: @escaping ContentProvider = { ComponentGroup(members: []) }
    ) {
        self.name = name
        self.attributes = attributes
        self.content = content
    }

    var body: Component {
        var nodes = [Node<Any>]()
        for (key, value) in attributes {
            guard let value else { continue }
            nodes.append(.attribute(Attribute<Any>(name: key, value: HTMLEscaping.attribute(value), ignoreIfValueIsEmpty: false)))
        }
        nodes.append(.component(content()))
        return Node<Any>.element(named: name, nodes: nodes)
    }
}

/// A void element (input, meta, link, br) with escaped attributes.
struct VoidEl: Component {
    let name: String
    let attributes: KeyValuePairs<String, String?>

    init(_ name: String, _ attributes: KeyValuePairs<String, String?>) {
        self.name = name
        self.attributes = attributes
    }

    var body: Component {
        let attrs = attributes.compactMap { key, value in
            value.map { Attribute<Any>(name: key, value: HTMLEscaping.attribute($0), ignoreIfValueIsEmpty: false) }
        }
        return Node<Any>.selfClosedElement(named: name, attributes: attrs)
    }
}

/// Escaped text.
struct T: Component {
    let text: String
    init(_ text: String) { self.text = text }
    var body: Component { Node<Any>.raw(HTMLEscaping.text(text)) }
}

/// Sanitised HTML cooked from Markdown at write time. The only place raw HTML enters a page.
struct CookedHTML: Component {
    let html: String
    var body: Component { Node<Any>.raw(html) }
}

/// Builds XMP packets like the ones editors leave behind.
public struct XMPFields: Sendable, Equatable {
    public var creatorTool: String?
    public var modifyDate: String?
    /// Writes a photoshop:History property with this text.
    public var photoshopHistory: String?
    /// Software agents of xmpMM:History "saved" events.
    public var historySoftware: [String] = []

    public init(creatorTool: String? = nil, modifyDate: String? = nil, photoshopHistory: String? = nil,
                historySoftware: [String] = []) {
        self.creatorTool = creatorTool
        self.modifyDate = modifyDate
        self.photoshopHistory = photoshopHistory
        self.historySoftware = historySoftware
    }
}

public enum XMPWriter {
    static let namespace = "http://ns.adobe.com/xap/1.0/\u{0}"

    /// The APP1 payload: namespace header followed by the packet.
    public static func app1Payload(_ fields: XMPFields) -> [UInt8] {
        Array(namespace.utf8) + Array(packet(fields).utf8)
    }

    public static func packet(_ fields: XMPFields) -> String {
        var attributes = ""
        if let tool = fields.creatorTool { attributes += "\n   xmp:CreatorTool=\"\(escape(tool))\"" }
        if let date = fields.modifyDate { attributes += "\n   xmp:ModifyDate=\"\(escape(date))\"" }
        var body = ""
        if let history = fields.photoshopHistory {
            body += "\n   <photoshop:History>\(escape(history))</photoshop:History>"
        }
        if !fields.historySoftware.isEmpty {
            body += "\n   <xmpMM:History>\n    <rdf:Seq>"
            for agent in fields.historySoftware {
                body += "\n     <rdf:li stEvt:action=\"saved\" stEvt:softwareAgent=\"\(escape(agent))\"/>"
            }
            body += "\n    </rdf:Seq>\n   </xmpMM:History>"
        }
        return """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
         <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description rdf:about=""
           xmlns:xmp="http://ns.adobe.com/xap/1.0/"
           xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
           xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
           xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"\(attributes)>\(body)
          </rdf:Description>
         </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end="w"?>
        """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

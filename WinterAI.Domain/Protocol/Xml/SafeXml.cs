using System.Xml;
using System.Xml.Linq;
using WinterAI.Domain.Protocol.Callbacks;

namespace WinterAI.Domain.Protocol.Xml;

/// <summary>
/// The only way WinterAI reads XML. Callback bodies come from the internet before we know they are genuine,
/// so DTDs are refused outright (no XXE, no entity-expansion bombs), nothing is ever resolved or fetched,
/// and the document size is bounded.
/// </summary>
public static class SafeXml
{
    /// <summary>
    /// Far above any real callback (a message is a few hundred characters; an encrypted one a few KB), far
    /// below what would hurt a small server.
    /// </summary>
    public const long MaxCharactersInDocument = 1024 * 1024;

    /// <summary>A fresh copy each time, because <see cref="XmlReaderSettings"/> is mutable.</summary>
    public static XmlReaderSettings CreateReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharactersInDocument,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Parses a whole document, keeping whitespace inside elements exactly as sent.</summary>
    /// <exception cref="WeChatProtocolException">Malformed XML, a DTD, or a document over <see cref="MaxCharactersInDocument"/>.</exception>
    public static XDocument Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        try
        {
            using var text = new StringReader(xml);
            using var reader = XmlReader.Create(text, CreateReaderSettings());
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new WeChatProtocolException($"The XML document is malformed or not allowed: {e.Message}", e);
        }
    }
}

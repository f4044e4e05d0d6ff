using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Tests.Protocol.Crypto;

/// <summary>
/// One published known-answer vector from <c>Fixtures/WeChat/Crypto/*.json</c>. Fields a source does not give are null.
/// </summary>
public sealed record CryptoVector(
    string Source,
    string? Token,
    string? EncodingAesKey,
    string? ReceiveId,
    string? Signature,
    string? MsgSignature,
    string? Timestamp,
    string? Nonce,
    string? Encrypt,
    string? Body,
    string? Plaintext,
    string? RandomPrefix)
{
    public static CryptoVector Load(string fileName) => FixtureFile.FromJson<CryptoVector>("WeChat", "Crypto", fileName);

    /// <summary>Every vector with a ciphertext (an Encrypt value or an echostr).</summary>
    public static IEnumerable<TestCaseData> Encrypted() => Where(v => v.Encrypt is not null);

    public static IEnumerable<TestCaseData> SignedAndEncrypted() => Where(v => v.Encrypt is not null && v.MsgSignature is not null);

    public static IEnumerable<TestCaseData> WithDecryptedText() => Where(v => v.Encrypt is not null && v.Plaintext is not null);

    public static IEnumerable<TestCaseData> WithBody() => Where(v => v.Body is not null);

    public byte[] AesKey => MessageCrypto.DecodeAesKey(EncodingAesKey!);

    public string BodyXml => FixtureFile.Text("WeChat", "Crypto", Body!);

    public override string ToString() => Source;

    private static IEnumerable<TestCaseData> Where(Func<CryptoVector, bool> predicate) =>
        FixtureFile.Names("json", "WeChat", "Crypto")
            .Where(name => predicate(Load(name)))
            .Select(name => new TestCaseData(name).SetArgDisplayNames(Path.GetFileNameWithoutExtension(name)));
}

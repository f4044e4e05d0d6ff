using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Tests.Protocol.Crypto;

public class WeChatSignatureTests
{
    private static readonly CryptoVector Documented = CryptoVector.Load("official-plaintext-signature.json");

    [Test]
    public void ComputesTheOfficialAccountDocumentationsPlaintextSignature() =>
        WeChatSignature.Compute(Documented.Token!, Documented.Timestamp!, Documented.Nonce!).ShouldBe(Documented.Signature);

    [Test]
    public void TheOrderOfThePartsDoesNotMatter() =>
        WeChatSignature.Compute(Documented.Nonce!, Documented.Token!, Documented.Timestamp!).ShouldBe(Documented.Signature);

    [Test]
    public void SortsOrdinallySoUppercaseComesBeforeLowercase() =>
        WeChatSignature.Compute("b", "B", "a").ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("Bab"u8)));

    [Test]
    public void VerifiesTheDocumentedSignature() =>
        WeChatSignature.Verify(Documented.Signature, Documented.Token!, Documented.Timestamp!, Documented.Nonce!).ShouldBeTrue();

    [Test]
    public void AcceptsTheSignatureInUppercaseHex() =>
        WeChatSignature.Verify(Documented.Signature!.ToUpperInvariant(), Documented.Token!, Documented.Timestamp!, Documented.Nonce!).ShouldBeTrue();

    [Test]
    public void RejectsASignatureWithOneDigitChanged()
    {
        var forged = "0" + Documented.Signature![1..];

        WeChatSignature.Verify(forged, Documented.Token!, Documented.Timestamp!, Documented.Nonce!).ShouldBeFalse();
    }

    [Test]
    public void RejectsTheRightSignatureForAnotherTimestamp() =>
        WeChatSignature.Verify(Documented.Signature, Documented.Token!, "1714037060", Documented.Nonce!).ShouldBeFalse();

    [TestCase(null)]
    [TestCase("")]
    [TestCase("899cf89e464efb63f54ddac96b0a0a235f53aa7")]
    [TestCase("899cf89e464efb63f54ddac96b0a0a235f53aa780")]
    [TestCase("zz9cf89e464efb63f54ddac96b0a0a235f53aa78")]
    [TestCase(" 899cf89e464efb63f54ddac96b0a0a235f53aa7")]
    public void RejectsAMissingWrongLengthOrNonHexSignatureWithoutThrowing(string? candidate) =>
        WeChatSignature.Verify(candidate, Documented.Token!, Documented.Timestamp!, Documented.Nonce!).ShouldBeFalse();

    [Test]
    public void RejectsRatherThanThrowsWhenAQueryParameterIsMissing() =>
        WeChatSignature.Verify(Documented.Signature, Documented.Token!, null!, Documented.Nonce!).ShouldBeFalse();

    [Test]
    public void RefusesToComputeOverAMissingPart() =>
        Should.Throw<ArgumentNullException>(() => WeChatSignature.Compute("token", null!, "nonce"));
}

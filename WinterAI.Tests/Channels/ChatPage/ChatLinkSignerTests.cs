using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;

namespace WinterAI.Tests.Channels.ChatPage;

public sealed class ChatLinkSignerTests
{
    private const string Key = "k3y-for-tests-only-0123456789abcdef-XYZ";
    private static readonly Follower Follower = new("wx2c2769f8efd9abc2", "oUser_AbC-123");

    private readonly FakeTimeProvider time = new();

    private ChatLinkSigner Signer(string key = Key, TimeSpan? ttl = null) =>
        new(new StaticOptions(new ChatOptions { SigningKey = key, PublicBaseUrl = "https://bot.example.com", LinkTtl = ttl ?? TimeSpan.FromDays(1) }), time);

    [Test]
    public void ASignedTokenOpensForTheFollowerItWasIssuedToUntilItExpires()
    {
        var token = Signer().Sign(Follower);

        var check = Signer().Verify(token);

        check.Status.ShouldBe(ChatLinkStatus.Valid);
        check.Follower.ShouldBe(Follower);
        check.ExpiresAt.ShouldBe(time.GetUtcNow() + TimeSpan.FromDays(1));
    }

    [Test]
    public void ATokenStopsWorkingOnceItsLinkTtlHasPassed()
    {
        var token = Signer(ttl: TimeSpan.FromMinutes(30)).Sign(Follower);

        time.Advance(TimeSpan.FromMinutes(29));
        Signer().Verify(token).Status.ShouldBe(ChatLinkStatus.Valid);
        time.Advance(TimeSpan.FromMinutes(1));
        var expired = Signer().Verify(token);

        expired.Status.ShouldBe(ChatLinkStatus.Expired);
        expired.Follower.ShouldBeNull();
    }

    [Test]
    public void EditingAnyCharacterOfATokenMakesItInvalid()
    {
        var token = Signer().Sign(Follower);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

        for (var i = 0; i < token.Length; i++)
        {
            foreach (var replacement in alphabet.Where(c => c != token[i]))
            {
                var edited = token[..i] + replacement + token[(i + 1)..];
                Signer().Verify(edited).Status.ShouldBe(ChatLinkStatus.Invalid, $"edited at {i} to '{replacement}': {edited}");
            }
        }
    }

    [Test]
    public void ATokenNamingAnotherFollowerOrALaterExpiryFailsTheSignatureCheck()
    {
        var token = Signer().Sign(Follower);
        var signature = token[(token.IndexOf('.') + 1)..];
        var expiry = (time.GetUtcNow() + TimeSpan.FromDays(1)).ToUnixTimeSeconds();

        var otherFollower = Payload($"{Follower.Account}\noSomeoneElse\n{expiry}") + "." + signature;
        var longerLife = Payload($"{Follower.Account}\n{Follower.Id}\n{expiry + 86_400 * 365}") + "." + signature;

        Signer().Verify(otherFollower).Status.ShouldBe(ChatLinkStatus.Invalid);
        Signer().Verify(longerLife).Status.ShouldBe(ChatLinkStatus.Invalid);
    }

    [Test]
    public void ATokenSignedWithAnotherKeyIsInvalid()
    {
        var token = Signer("another-key-that-is-long-enough-0123456789").Sign(Follower);

        Signer().Verify(token).Status.ShouldBe(ChatLinkStatus.Invalid);
    }

    [Test]
    public void AnExpiredTokenSignedWithAnotherKeyIsInvalidRatherThanExpired()
    {
        var token = Signer("another-key-that-is-long-enough-0123456789").Sign(Follower, time.GetUtcNow().AddDays(-1));

        Signer().Verify(token).Status.ShouldBe(ChatLinkStatus.Invalid);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-a-token")]
    [TestCase("a.b.c")]
    [TestCase(".")]
    [TestCase("abc.")]
    [TestCase(".abc")]
    [TestCase("!!!.???")]
    [TestCase("d3gyYzI3NjlmOGVmZDlhYmMy.AAAA")]
    public void MalformedTokensAreInvalid(string? token) =>
        Signer().Verify(token).Status.ShouldBe(ChatLinkStatus.Invalid);

    [Test]
    public void AnAbsurdlyLongTokenIsRefusedBeforeAnyDecoding() =>
        Signer().Verify(new string('A', ChatLinkSigner.MaxTokenLength + 1) + ".AAAA").Status.ShouldBe(ChatLinkStatus.Invalid);

    [Test]
    public void APayloadWithTheRightSignatureButNoExpiryIsInvalid()
    {
        var payload = Encoding.UTF8.GetBytes($"{Follower.Account}\n{Follower.Id}");
        var token = Signer().Sign(Follower);
        var mac = token[(token.IndexOf('.') + 1)..];

        Signer().Verify(Base64Url.EncodeToString(payload) + "." + mac).Status.ShouldBe(ChatLinkStatus.Invalid);
    }

    [Test]
    public void NothingVerifiesWhileNoSigningKeyIsConfigured()
    {
        var token = Signer().Sign(Follower);

        Signer(key: "").Verify(token).Status.ShouldBe(ChatLinkStatus.Invalid);
    }

    [TestCase("o-line\nbreak")]
    [TestCase("\n")]
    [TestCase("\n\n")]
    [TestCase("o\r\n1\t2\u0000\u001f")]
    [TestCase("o1\nwx-other")]
    [TestCase("o\n9999999999")]
    [TestCase("o:1.2%3A")]
    [TestCase("o-冬天-😀")]
    public void AnyFollowerIdComesBackExactlyWithTheAccountAndExpiryItWasSignedWith(string id)
    {
        var expiresAt = time.GetUtcNow().AddHours(1);

        var check = Signer().Verify(Signer().Sign(Follower with { Id = id }, expiresAt));

        check.Status.ShouldBe(ChatLinkStatus.Valid);
        check.Follower.ShouldBe(Follower with { Id = id });
        check.ExpiresAt.ShouldBe(expiresAt);
    }

    [Test]
    public void ATokenForAnIdWithoutLineBreaksReadsAsBefore()
    {
        var expiry = (time.GetUtcNow() + TimeSpan.FromDays(1)).ToUnixTimeSeconds();

        var token = Signer().Sign(Follower);

        token[..token.IndexOf('.')].ShouldBe(Payload($"{Follower.Account}\n{Follower.Id}\n{expiry}"));
    }

    [Test]
    public void NoTokenIsIssuedForAnEmptyFollowerId() => ShouldIssueNoToken("");

    [Test]
    public void NoTokenIsIssuedForAFollowerIdThatIsNotWellFormedText() => ShouldIssueNoToken("o-\ud800");

    [Test]
    public void NoTokenIsIssuedForAFollowerIdTooLongForAnyToken() => ShouldIssueNoToken(new string('o', ChatLinkSigner.MaxTokenLength));

    private void ShouldIssueNoToken(string id)
    {
        var follower = Follower with { Id = id };

        Signer().TrySign(follower, out var token).ShouldBeFalse();
        token.ShouldBeNull();
        Should.Throw<ArgumentException>(() => Signer().Sign(follower));
    }

    private static string Payload(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private sealed class StaticOptions(ChatOptions value) : IOptionsMonitor<ChatOptions>
    {
        public ChatOptions CurrentValue => value;

        public ChatOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ChatOptions, string?> listener) => null;
    }
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WinterAI.Domain.Protocol.Crypto;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeComRobot;

/// <summary>
/// Pictures sent to the robot reach Dify's vision models: WeCom's encrypted download (a real in-test file host) is
/// fetched when the turn runs, decrypted, uploaded to the fake Dify (<c>POST /files/upload</c>) and sent with the
/// question as a <c>local_file</c>.
/// </summary>
public sealed class WeComRobotPictureTests
{
    private static readonly MessagesOptions Texts = new();
    private FakeDifyServer dify = null!;
    private FakeMediaHost media = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;
    private FakeWeComRobot robot = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        dify.Parameters = FakeDifyServer.DefaultParameters(imagesEnabled: true);
        media = await FakeMediaHost.StartAsync();
        var configuration = FakeWeComRobot.Configuration();
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Media:AllowedHosts:0"] = "127.0.0.1";
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
        robot = FakeWeComRobot.For(client);
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await media.DisposeAsync();
        await dify.DisposeAsync();
    }

    private static string Content(JsonObject frame) => frame["stream"]!["content"]!.GetValue<string>();

    /// <summary>Webhook mode: the file is encrypted with the robot's EncodingAESKey.</summary>
    private string PutEncrypted(string name, byte[] picture) =>
        media.Put(name, MediaCrypto.Encrypt(MessageCrypto.DecodeAesKey(FakeWeComRobot.DefaultAesKey), picture));

    [Test]
    public async Task APictureAloneIsAskedWithThePromptAndReachesDifyDecrypted()
    {
        var picture = FakeMediaHost.TinyPng();
        var url = PutEncrypted("cat.png", picture);

        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Image("zhangsan", url));

        var chat = dify.Calls.Single(c => c.IsChat);
        chat.Query.ShouldBe(Texts.ImagePrompt);
        chat.FileIds.Count.ShouldBe(1);
        var upload = dify.Uploads[chat.FileIds[0]];
        upload.Content.ShouldBe(picture);
        upload.ContentType.ShouldBe("image/png");
        upload.FileName.ShouldEndWith(".png");
        upload.User.ShouldBe(chat.User);
        chat.RawBody.ShouldContain("\"transfer_method\":\"local_file\"");
        chat.RawBody.ShouldContain("\"type\":\"image\"");
        Content(frames[^1]).ShouldBe($"echo: {Texts.ImagePrompt}");
    }

    [Test]
    public async Task TextWithPicturesIsOneQuestionCarryingEveryPicture()
    {
        var first = PutEncrypted("a.png", FakeMediaHost.TinyPng());
        var second = PutEncrypted("b.png", FakeMediaHost.TinyPng());

        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Mixed("zhangsan", "这两张图有什么不同？", first, second));

        var chat = dify.Calls.Single(c => c.IsChat);
        chat.Query.ShouldBe("这两张图有什么不同？");
        chat.FileIds.Count.ShouldBe(2);
        Content(frames[^1]).ShouldBe("echo: 这两张图有什么不同？");
    }

    [Test]
    public async Task ALongConnectionPictureIsDecryptedWithItsOwnKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var picture = FakeMediaHost.TinyPng();
        var url = media.Put("own-key.png", MediaCrypto.Encrypt(key, picture));

        await robot.AskAndFollowAsync(FakeWeComRobot.Image("zhangsan", url, Convert.ToBase64String(key)));

        var chat = dify.Calls.Single(c => c.IsChat);
        dify.Uploads[chat.FileIds[0]].Content.ShouldBe(picture);
    }

    [Test]
    public async Task WhenTheDifyAppTakesNoPicturesTheMemberIsToldAndDifyIsNotAsked()
    {
        dify.Parameters = FakeDifyServer.DefaultParameters(imagesEnabled: false);
        var url = PutEncrypted("ignored.png", FakeMediaHost.TinyPng());

        var reply = await robot.PostAsync(FakeWeComRobot.Image("zhangsan", url));

        reply.Finished.ShouldBe(true);
        reply.StreamContent.ShouldBe(Texts.UnsupportedImage);
        dify.ChatCallCount.ShouldBe(0);
        media.Downloads("ignored.png").ShouldBe(0);
    }

    [Test]
    public async Task AnExpiredOrUndecryptablePictureGetsAFriendlyTextAndNoDifyTurn()
    {
        var expired = $"{media.BaseUrl}/media/gone.png";
        var wrongKey = media.Put("wrong-key.png", MediaCrypto.Encrypt(RandomNumberGenerator.GetBytes(32), FakeMediaHost.TinyPng()));
        var notAPicture = PutEncrypted("notes.txt", "just some text, not a picture"u8.ToArray());

        foreach (var url in new[] { expired, wrongKey, notAPicture })
        {
            var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Image("zhangsan", url));
            Content(frames[^1]).ShouldBe(Texts.ImageUnavailable, url);
        }

        dify.ChatCallCount.ShouldBe(0);
        dify.Uploads.Count.ShouldBe(0);
    }

    [Test]
    public async Task APictureLargerThanTheDifyAppTakesIsRefusedWithTheSizeText()
    {
        var parameters = FakeDifyServer.DefaultParameters(imagesEnabled: true);
        parameters["system_parameters"]!["image_file_size_limit"] = 1;
        dify.Parameters = parameters;
        var large = new byte[(1024 * 1024) + 1];
        FakeMediaHost.TinyPng().CopyTo(large, 0);
        var url = PutEncrypted("large.png", large);

        var frames = await robot.AskAndFollowAsync(FakeWeComRobot.Image("zhangsan", url));

        Content(frames[^1]).ShouldBe(Texts.ImageTooLarge);
        dify.Uploads.Count.ShouldBe(0);
    }
}

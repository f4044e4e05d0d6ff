using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Controllers;

/// <summary>The H5 page's picture button: <c>POST /chat/upload</c> then a question carrying the upload, on the wire of a real in-test Dify.</summary>
public sealed class ChatPictureTests
{
    private static readonly WeChatAccount Account = WeChatAccount.Default;
    private static readonly MessagesOptions Texts = new();
    private FakeDifyServer dify = null!;
    private WinterAIHost host = null!;
    private HttpClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        dify = await FakeDifyServer.StartAsync();
        dify.Parameters = FakeDifyServer.DefaultParameters(imagesEnabled: true);
        var configuration = WinterAIHost.OfficialAccountWith(dify, chatPage: true);
        configuration["Chat:SigningKey"] = "chat-picture-tests-signing-key-0123456789";
        host = new WinterAIHost(configuration);
        client = host.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await host.DisposeAsync();
        await dify.DisposeAsync();
    }

    private string TokenFor(string openId) => host.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(Account.AppId, openId));

    private async Task<HttpResponseMessage> UploadAsync(string token, byte[] content, string name = "photo.png")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat/upload") { Content = form };
        request.Headers.Add(ChatPageClient.TokenHeader, token);
        return await client.SendAsync(request);
    }

    private async Task<string> AskAsync(string token, string question, params string[] pictures)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat/ask") { Content = JsonContent.Create(new { question, pictures }) };
        request.Headers.Add(ChatPageClient.TokenHeader, token);
        using var response = await client.SendAsync(request);
        // The page's events and messages are JSON: non-ASCII arrives as \uXXXX escapes.
        return System.Text.RegularExpressions.Regex.Unescape(await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> TextOf(HttpResponseMessage response) =>
        System.Text.RegularExpressions.Regex.Unescape(await response.Content.ReadAsStringAsync());

    [Test]
    public async Task AnUploadedPictureGoesToDifyWithTheQuestion()
    {
        var token = TokenFor("o-page-pic");
        var picture = FakeMediaHost.TinyPng();

        using var uploaded = await UploadAsync(token, picture);
        var id = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var stream = await AskAsync(token, "图里是什么？", id);

        uploaded.StatusCode.ShouldBe(HttpStatusCode.OK);
        dify.Uploads[id].Content.ShouldBe(picture);
        dify.Uploads[id].User.ShouldEndWith("o-page-pic");
        stream.ShouldContain("echo: 图里是什么？");
        dify.Calls.Single(c => c.IsChat).FileIds.ShouldBe([id]);
    }

    [Test]
    public async Task APictureAloneIsAskedWithThePrompt()
    {
        var token = TokenFor("o-page-alone");
        using var uploaded = await UploadAsync(token, FakeMediaHost.TinyPng());
        var id = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var stream = await AskAsync(token, "", id);

        stream.ShouldContain($"echo: {Texts.ImagePrompt}");
    }

    [Test]
    public async Task AnotherFollowersUploadIsNotSentWithAQuestion()
    {
        using var uploaded = await UploadAsync(TokenFor("o-owner"), FakeMediaHost.TinyPng());
        var id = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await AskAsync(TokenFor("o-thief"), "偷看一下", id);

        dify.Calls.Single(c => c.IsChat).FileIds.ShouldBeEmpty();
    }

    [Test]
    public async Task WhatIsNotAPictureOrNotTakenIsRefusedWithItsText()
    {
        var token = TokenFor("o-page-refused");

        using var notPicture = await UploadAsync(token, "just text"u8.ToArray(), "notes.txt");

        (await TextOf(notPicture)).ShouldContain(Texts.ImageUnavailable);
        notPicture.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        dify.Uploads.ShouldBeEmpty();

        dify.Parameters = FakeDifyServer.DefaultParameters(imagesEnabled: false);
        await using var offHost = new WinterAIHost(new Dictionary<string, string?>(Account.Configuration())
        {
            ["Dify:BaseUrl"] = dify.BaseUrl,
            ["Dify:ApiKey"] = "app-test-key",
            ["Chat:PublicBaseUrl"] = "https://bot.example.com",
            ["Chat:SigningKey"] = "chat-picture-tests-signing-key-0123456789",
        });
        client.Dispose();
        client = offHost.CreateClient();
        using var off = await UploadAsync(offHost.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(Account.AppId, "o-off")), FakeMediaHost.TinyPng());
        (await TextOf(off)).ShouldContain(Texts.UnsupportedImage);
        dify.Uploads.ShouldBeEmpty();
    }

    [Test]
    public async Task UploadsCountInTheFollowersQuota()
    {
        await using var limited = new WinterAIHost(new Dictionary<string, string?>(WinterAIHost.OfficialAccountWith(dify, chatPage: true)) { ["Limits:PerMinute"] = "2" });
        client.Dispose();
        client = limited.CreateClient();
        var token = limited.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(Account.AppId, "o-quota"));

        using var first = await UploadAsync(token, FakeMediaHost.TinyPng());
        using var second = await UploadAsync(token, FakeMediaHost.TinyPng());
        using var third = await UploadAsync(token, FakeMediaHost.TinyPng());

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        third.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await TextOf(third)).ShouldContain(Texts.QuotaExceeded);
        dify.Uploads.Count.ShouldBe(2);
    }

    [Test]
    public async Task AnUploadWithoutAValidTokenIsRefused()
    {
        using var response = await UploadAsync("forged", FakeMediaHost.TinyPng());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        dify.Uploads.ShouldBeEmpty();
    }
}

using System.Text.Json;
using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

/// <summary><c>GET /parameters</c>, <c>POST /files/upload</c> and files sent with a question, on the wire of a real in-test Dify.</summary>
public sealed class DifyFilesTests
{
    FakeDifyServer server = null!;
    DifyTestHost host = null!;

    [SetUp]
    public async Task StartFakeDify()
    {
        server = await FakeDifyServer.StartAsync();
        host = DifyTestHost.For(server);
    }

    [TearDown]
    public async Task StopFakeDify()
    {
        host.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task AnUploadIsMultipartWithTheFileAndTheUserAndReturnsDifysId()
    {
        var picture = FakeMediaHost.TinyPng();

        var id = await host.Client.UploadFileAsync(new DifyUpload(picture, "picture.png", "image/png"), "user-9", CancellationToken.None);

        var upload = server.Uploads[id];
        upload.Content.ShouldBe(picture);
        upload.FileName.ShouldBe("picture.png");
        upload.ContentType.ShouldBe("image/png");
        upload.User.ShouldBe("user-9");
        server.Calls.Single().Authorization.ShouldBe($"Bearer {DifyTestHost.ApiKey}");
    }

    [Test]
    public async Task AnUploadDifyRefusesIsARejectedFailureNamingTheCode()
    {
        server.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 413, "file_too_large", "File size exceeded.");

        var failure = await Should.ThrowAsync<DifyException>(() =>
            host.Client.UploadFileAsync(new DifyUpload([1, 2, 3], "picture.png", "image/png"), "user-9", CancellationToken.None));

        failure.Failure.ShouldBe(DifyFailure.Rejected);
        failure.Code.ShouldBe("file_too_large");
    }

    [Test]
    public async Task FilesGoWithTheQuestionAsLocalFiles()
    {
        await host.Client.ChatAsync(new DifyChatRequest("what is this?", "user-1", null, [new DifyFileRef("image", "file-1"), new DifyFileRef("image", "file-2")]), null, CancellationToken.None);

        using var body = JsonDocument.Parse(server.Calls.Single().RawBody);
        var files = body.RootElement.GetProperty("files").EnumerateArray().ToList();
        files.Count.ShouldBe(2);
        files[0].GetProperty("type").GetString().ShouldBe("image");
        files[0].GetProperty("transfer_method").GetString().ShouldBe("local_file");
        files[1].GetProperty("upload_file_id").GetString().ShouldBe("file-2");
    }

    [Test]
    public async Task AQuestionWithoutFilesSendsNoFilesField()
    {
        await host.AskAsync("plain");

        server.Calls.Single().RawBody.ShouldNotContain("\"files\"");
    }

    [Test]
    public async Task ParametersAreReadFromDifysAnswer()
    {
        var parameters = FakeDifyServer.DefaultParameters(imagesEnabled: true);
        parameters["suggested_questions_after_answer"]!["enabled"] = true;
        server.Parameters = parameters;

        var read = await host.Client.GetParametersAsync("winterai", CancellationToken.None);

        read.ImagesEnabled.ShouldBeTrue();
        read.ImageLimit.ShouldBe(3);
        read.ImageSizeLimitBytes.ShouldBe(10L * 1024 * 1024);
        read.SuggestedQuestionsAfterAnswer.ShouldBeTrue();
        read.SpeechToText.ShouldBeFalse();
        server.Probes.Single().Path.ShouldEndWith("/parameters");
    }

    [TestCase("""{"file_upload":{"enabled":true,"allowed_file_types":["image","document"],"number_limits":5}}""", true, 5)]
    [TestCase("""{"file_upload":{"enabled":false,"allowed_file_types":["image"]}}""", false, 3)]
    [TestCase("""{"file_upload":{"image":{"enabled":true,"number_limits":2}}}""", true, 2)]
    [TestCase("""{"opening_statement":"hi"}""", false, 3)]
    [TestCase("""[]""", false, 3)]
    public void EveryShapeOfFileUploadDifyVersionsSendIsUnderstood(string json, bool images, int limit)
    {
        var read = DifyAppParameters.Parse(JsonDocument.Parse(json));

        read.ImagesEnabled.ShouldBe(images);
        read.ImageLimit.ShouldBe(limit);
    }
}

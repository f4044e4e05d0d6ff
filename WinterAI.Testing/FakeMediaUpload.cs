using Microsoft.AspNetCore.Http;

namespace WinterAI.Testing;

/// <summary>A file uploaded as temporary media (<c>POST /cgi-bin/media/upload?type=…</c>, multipart <c>media</c>) to a fake platform.</summary>
public sealed record FakeMediaUpload(string Type, string FileName, string ContentType, byte[] Content, string MediaId)
{
    /// <summary>The upload in <paramref name="request"/>, or null when it carries no <c>media</c> file.</summary>
    public static async Task<FakeMediaUpload?> ReadAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        if (form.Files.GetFile("media") is not { } file)
        {
            return null;
        }

        using var content = new MemoryStream();
        await file.CopyToAsync(content, request.HttpContext.RequestAborted);
        return new FakeMediaUpload(request.Query["type"].ToString(), file.FileName, file.ContentType, content.ToArray(), "media-" + Guid.NewGuid().ToString("N"));
    }
}

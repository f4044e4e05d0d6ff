using System.Text.Json;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>
/// Pictures a follower adds on the H5 page: checked (a picture, within the Dify app's limit, the app takes images),
/// counted in the follower's quota like a question, uploaded to Dify at once under the follower's Dify user, and remembered for an hour so that a question may carry
/// only the follower's own uploads.
/// </summary>
public sealed class ChatPictures(
    IDifyClient dify,
    DifyAppProfile app,
    IStateStore store,
    StoreKeys keys,
    FollowerQuota quota,
    IOptionsMonitor<MessagesOptions> messages)
{
    /// <summary>How long an uploaded picture may be asked about.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>The upload's id, or the text that says why it was refused.</summary>
    public async Task<(string? Id, string? Refusal)> UploadAsync(Follower follower, byte[] content, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        if (await app.GetAsync(ct) is not { ImagesEnabled: true } parameters)
        {
            return (null, texts.UnsupportedImage);
        }

        if (content.LongLength > parameters.ImageSizeLimitBytes)
        {
            return (null, texts.ImageTooLarge);
        }

        if (ImageFiles.Describe(content) is not { } picture)
        {
            return (null, texts.ImageUnavailable);
        }

        // An upload costs Dify storage whether or not a question follows: it counts like a question.
        if (!await quota.TryConsumeAsync(follower, ct))
        {
            return (null, texts.QuotaExceeded);
        }

        var id = await dify.UploadFileAsync(new DifyUpload(picture.Content, picture.FileName, picture.ContentType), follower.DifyUser, ct);
        var mine = await UploadedAsync(follower, ct);
        mine.Add(id);
        await store.SetAsync(Key(follower), JsonSerializer.Serialize(mine.TakeLast(20).ToList(), ChatPageJsonContext.Default.ListString), Lifetime, ct);
        return (id, null);
    }

    /// <summary>The pictures of a question: only the follower's own uploads, at most as many as the Dify app takes.</summary>
    public async Task<IReadOnlyList<Attachment>?> AttachmentsAsync(Follower follower, IReadOnlyList<string>? ids, CancellationToken ct)
    {
        if (ids is not { Count: > 0 })
        {
            return null;
        }

        var mine = await UploadedAsync(follower, ct);
        var limit = (await app.GetAsync(ct))?.ImageLimit ?? DifyAppParameters.DefaultImageLimit;
        var attachments = ids.Distinct().Where(mine.Contains).Take(limit).Select(id => Attachment.Uploaded(Attachment.ImageType, id)).ToList();
        return attachments.Count > 0 ? attachments : null;
    }

    private async Task<List<string>> UploadedAsync(Follower follower, CancellationToken ct)
    {
        var json = await store.GetAsync(Key(follower), ct);
        try
        {
            return json is null ? [] : JsonSerializer.Deserialize(json, ChatPageJsonContext.Default.ListString) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private string Key(Follower follower) => keys.PageUploads(follower.Account, follower.Id);
}

using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// The robot's streams in the shared store: which turn a stream id shows, and the frame a refresh poll gets now —
/// the answer so far while Dify writes it (from <see cref="PartialAnswers"/>), the whole answer once it is ready. Any
/// instance answers any poll. A stream still unanswered when its window closes is finished with what exists and a
/// note, and the whole answer is handed to the channel's pusher (<c>response_url</c>) when it is ready. The finishing
/// frame of an answer with pictures carries them as <c>msg_item</c> images (base64 and MD5; JPEG or PNG, at most
/// <see cref="MaxPictures"/>); a picture that cannot be fetched or sent so, and every picture of a message other than the
/// finishing frame, is a Markdown link instead.
/// </summary>
public sealed class RobotStreams(
    IStateStore store,
    StoreKeys keys,
    TurnStore turns,
    PartialAnswers partials,
    SuggestedQuestions suggestions,
    IOptionsMonitor<WeComRobotOptions> options,
    IOptions<RedisOptions> storeOptions,
    AnswerPictures pictures,
    TimeProvider time,
    ILogger<RobotStreams> log)
{
    /// <summary>WeCom takes at most 10 <c>msg_item</c>s on a finishing frame.</summary>
    public const int MaxPictures = 10;

    /// <summary>WeCom takes a <c>msg_item</c> picture of at most 10 MB (before base64).</summary>
    public const int MaxPictureBytes = 10 * 1024 * 1024;

    private TimeSpan Ttl => storeOptions.Value.AnswerTtl;

    /// <summary>How long a stream whose answer is whole stays open for the suggested questions to arrive.</summary>
    public static readonly TimeSpan SuggestionsWait = TimeSpan.FromSeconds(10);

    /// <summary>The message's stream: the one already started for it (WeCom delivered the message again), or a new one.</summary>
    /// <param name="chatId">Where a proactive message about it goes (long-connection mode); null in webhook mode.</param>
    public async Task<RobotStream> StartAsync(Follower follower, string messageKey, string? responseUrl, string? chatId, CancellationToken ct)
    {
        var fresh = new RobotStream(Guid.NewGuid().ToString("N"), follower.Account, follower.Id, messageKey, responseUrl, time.GetUtcNow().ToUnixTimeMilliseconds(), chatId);
        var json = JsonSerializer.Serialize(fresh, RobotJsonContext.Default.RobotStream);
        if (!await store.SetIfAbsentAsync(keys.RobotMessage(follower, messageKey), json, Ttl, ct))
        {
            return await ForMessageAsync(follower, messageKey, ct) ?? fresh;
        }

        await store.SetAsync(keys.RobotStream(follower.Account, fresh.Id), json, Ttl, ct);
        return fresh;
    }

    public async Task<RobotStream?> FindAsync(string account, string streamId, CancellationToken ct) =>
        Read(await store.GetAsync(keys.RobotStream(account, streamId), ct));

    public async Task<RobotStream?> ForMessageAsync(Follower follower, string messageKey, CancellationToken ct) =>
        Read(await store.GetAsync(keys.RobotMessage(follower, messageKey), ct));

    /// <summary>What a refresh poll of <paramref name="stream"/> gets now: the content and whether the stream is finished.</summary>
    public async Task<RobotFrame> FrameAsync(RobotStream stream, CancellationToken ct)
    {
        var follower = stream.Follower;
        if (await turns.GetAsync(follower, stream.MessageKey, ct) is { IsAnswered: true } answered)
        {
            return await AnsweredFrameAsync(follower, stream.MessageKey, answered, ct);
        }

        var soFar = (await partials.GetAsync(follower, stream.MessageKey, ct))?.Text ?? "";
        var started = DateTimeOffset.FromUnixTimeMilliseconds(stream.StartedAtUnixMs);
        if (time.GetUtcNow() - started < options.CurrentValue.StreamWindow)
        {
            return new RobotFrame(RobotContent.Frame(soFar, finish: false), false);
        }

        // Out of time: ask for the answer to be pushed, then look once more (the runner looks for the request after
        // saving the answer, so one side sees the other; the pushed claim keeps it to one).
        await store.SetAsync(keys.Outcome(follower, stream.MessageKey), DeliveryEngine.PushOutcome, storeOptions.Value.MessageTtl, ct);
        if (await turns.GetAsync(follower, stream.MessageKey, ct) is { IsAnswered: true } late
            && await store.SetIfAbsentAsync(keys.Pushed(follower, stream.MessageKey), "stream", storeOptions.Value.MessageTtl, ct))
        {
            return await FinishedAsync(late, ct);
        }

        return new RobotFrame(RobotContent.Cut(soFar) + RobotContent.LaterNote, true);
    }

    /// <summary>
    /// The whole answer, shown at once; the stream stays open (for at most <see cref="SuggestionsWait"/>) while the
    /// questions suggested after it are being fetched, and its finishing frame ends with them.
    /// </summary>
    private async Task<RobotFrame> AnsweredFrameAsync(Follower follower, string messageKey, TurnRecord answered, CancellationToken ct)
    {
        if (await suggestions.CurrentAsync(follower, ct) is { } suggested && suggested.MessageKey == messageKey)
        {
            var text = Text(answered);
            var waited = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(suggested.AnsweredAtUnixMs);
            if (suggested.IsPending && waited < SuggestionsWait && System.Text.Encoding.UTF8.GetByteCount(text) <= RobotContent.MaxBytes)
            {
                return new RobotFrame(RobotContent.Frame(text, finish: false), false);
            }

            return await FinishedAsync(answered, suggested.Questions, ct);
        }

        return await FinishedAsync(answered, ct);
    }

    /// <summary>
    /// The answer as streamed (Dify's Markdown, without reasoning), so the last frame extends the ones before; a
    /// failure's friendly text otherwise. Its pictures follow as links: for the messages that cannot carry them
    /// (response_url, proactive).
    /// </summary>
    public static string Whole(TurnRecord turn) => WithLinks(Text(turn), turn.Images);

    private static string Text(TurnRecord turn) => turn.Markdown is { } markdown ? ReasoningText.Hide(markdown) : turn.Answer ?? "";

    private Task<RobotFrame> FinishedAsync(TurnRecord turn, CancellationToken ct) => FinishedAsync(turn, null, ct);

    /// <summary>
    /// The finishing frame of an answered turn: its pictures as <c>msg_item</c>s where they can be, links otherwise, then
    /// the suggested questions where they fit.
    /// </summary>
    private async Task<RobotFrame> FinishedAsync(TurnRecord turn, IReadOnlyList<string>? suggested, CancellationToken ct)
    {
        var items = new List<RobotPicture>();
        var links = new List<AnswerImage>();
        foreach (var image in turn.Images ?? [])
        {
            if (items.Count < MaxPictures && await PictureAsync(image, ct) is { } picture)
            {
                items.Add(picture);
            }
            else
            {
                links.Add(image);
            }
        }

        var content = WithLinks(Text(turn), links);
        if (suggested is not null)
        {
            content += suggestions.Lettered(suggested, RobotContent.MaxBytes - System.Text.Encoding.UTF8.GetByteCount(content));
        }

        return new RobotFrame(RobotContent.Frame(content, finish: true), true, items);
    }

    private async Task<RobotPicture?> PictureAsync(AnswerImage image, CancellationToken ct)
    {
        try
        {
            var file = await pictures.FetchAsync(image, ct);
            if (file.ContentType is "image/jpeg" or "image/png" && file.Content.Length <= MaxPictureBytes)
            {
                return RobotPicture.Of(file.Content);
            }

            log.LogInformation("An answer's picture is not a JPEG or PNG of at most 10 MB; the robot sends its link.");
        }
        catch (MediaUnavailableException ex)
        {
            log.LogWarning("An answer's picture could not be fetched ({Reason}); the robot sends its link.", ex.Message);
        }

        return null;
    }

    private static string WithLinks(string markdown, IEnumerable<AnswerImage>? images) =>
        images is null ? markdown : markdown + string.Concat(images.Select(i => $"\n\n[图片]({i.Url})"));

    private static RobotStream? Read(string? json) => json is null ? null : JsonSerializer.Deserialize(json, RobotJsonContext.Default.RobotStream);
}

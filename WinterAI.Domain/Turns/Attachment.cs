namespace WinterAI.Domain.Turns;

/// <summary>
/// A file that came with a follower's message, as its channel can fetch it again when the turn runs (on any
/// instance): kept with the queued turn, never logged.
/// </summary>
/// <param name="Type">Dify's file type: <c>image</c>, or <c>audio</c> for a voice message.</param>
/// <param name="Source">Where the channel fetches it: a download URL, a media id.</param>
/// <param name="Key">What the channel needs besides <paramref name="Source"/>, e.g. the robot's per-message decryption key, a picture's PicUrl, a recording's format (<c>amr</c>, <c>speex</c>).</param>
public sealed record Attachment(string Type, string Source, string? Key = null)
{
    public const string ImageType = "image";

    public const string AudioType = "audio";

    /// <summary>Marks an attachment already uploaded to Dify: <see cref="Source"/> is Dify's file id.</summary>
    public const string UploadedKey = "dify-upload";

    public static Attachment Image(string source, string? key = null) => new(ImageType, source, key);

    /// <summary>A voice message's recording: its media id and the format the platform named.</summary>
    public static Attachment Voice(string mediaId, string? format) => new(AudioType, mediaId, format);

    /// <summary>A file already uploaded to Dify (the H5 page uploads at once): nothing to fetch when the turn runs.</summary>
    public static Attachment Uploaded(string type, string uploadFileId) => new(type, uploadFileId, UploadedKey);

    public bool IsUploaded => Key == UploadedKey;
}

/// <summary>An attachment's bytes, as fetched by its channel.</summary>
public sealed record MediaFile(byte[] Content, string FileName, string ContentType);

/// <summary>How a channel fetches the files followers send it (<see cref="IChannel.Media"/>).</summary>
public interface IMediaSource
{
    /// <exception cref="MediaUnavailableException">Expired, too large, not what it claims to be, or the platform refused.</exception>
    Task<MediaFile> FetchAsync(Attachment attachment, CancellationToken ct);
}

/// <summary>An attachment could not be fetched; the message says why, for logs (no URLs, no keys).</summary>
/// <param name="tooLarge">True when it was refused for its size, which the follower can do something about.</param>
public sealed class MediaUnavailableException(string message, bool tooLarge = false, Exception? inner = null) : Exception(message, inner)
{
    public bool TooLarge { get; } = tooLarge;
}

/// <summary>How a channel takes an answer spoken back (<see cref="IChannel.VoiceOut"/>): uploads it as temporary voice media.</summary>
public interface IVoiceOut
{
    /// <summary>The media id of <paramref name="mp3"/> uploaded as voice.</summary>
    /// <exception cref="MediaUnavailableException">The platform refused it, or the account cannot upload.</exception>
    Task<string> UploadVoiceAsync(byte[] mp3, CancellationToken ct);
}

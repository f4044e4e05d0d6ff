namespace WinterAI.Domain.Turns;

/// <summary>
/// A picture that came with an answer and is delivered as a picture of its own (an extra page after the text pages):
/// from a <c>message_file</c> event or a Markdown image of the answer, and always on the Dify host.
/// </summary>
/// <param name="Url">Absolute, on the Dify host (<see cref="Dify.DifyFileUrls"/>); a relative one was resolved against it.</param>
/// <param name="Type"><c>image</c> (the only kind delivered as a picture so far).</param>
public sealed record AnswerImage(string Url, string Type = AnswerImage.ImageType)
{
    public const string ImageType = "image";

    /// <summary>What the follower gets instead when the picture cannot be fetched or uploaded: a link, never nothing.</summary>
    public string LinkText => $"[图片] {Url}";
}

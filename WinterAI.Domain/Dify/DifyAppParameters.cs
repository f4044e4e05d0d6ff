using System.Text.Json;

namespace WinterAI.Domain.Dify;

/// <summary>
/// What a Dify app declares about itself (<c>GET /parameters</c>): which files it accepts, its input form, its
/// features. Read leniently: Dify's versions differ in shape, and whatever is missing counts as off.
/// </summary>
/// <param name="ImagesEnabled">The app takes images with a question (<c>file_upload.image.enabled</c>, or <c>image</c> in <c>file_upload.allowed_file_types</c>).</param>
/// <param name="ImageLimit">How many images one question may carry.</param>
/// <param name="ImageSizeLimitBytes">Dify's upload limit for an image (<c>system_parameters.image_file_size_limit</c>, MB).</param>
/// <param name="Raw">The whole answer, for features read elsewhere.</param>
/// <remarks><see cref="InputForm"/>: the variables the app declares (<c>user_input_form</c>), in the form's order.</remarks>
public sealed record DifyAppParameters(
    bool ImagesEnabled,
    int ImageLimit,
    long ImageSizeLimitBytes,
    bool SuggestedQuestionsAfterAnswer,
    bool SpeechToText,
    JsonElement Raw)
{
    /// <summary>Dify's defaults: 3 images of at most 10 MB.</summary>
    public const int DefaultImageLimit = 3;

    public const long DefaultImageSizeLimitBytes = 10L * 1024 * 1024;

    public IReadOnlyList<DifyInputField> InputForm { get; init; } = [];

    public static DifyAppParameters Parse(JsonDocument document)
    {
        using (document)
        {
            var root = document.RootElement.Clone();
            var upload = Object(root, "file_upload");
            var image = upload is { } u ? Object(u, "image") : null;
            var allowsImages = upload is { } up && Bool(up, "enabled") != false
                && up.TryGetProperty("allowed_file_types", out var types) && types.ValueKind == JsonValueKind.Array
                && types.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == "image");
            var imageLimit = (image is { } i ? Int(i, "number_limits") : null)
                ?? (upload is { } ul ? Int(ul, "number_limits") : null)
                ?? DefaultImageLimit;
            var sizeMb = Object(root, "system_parameters") is { } system ? Int(system, "image_file_size_limit") : null;
            return new DifyAppParameters(
                (image is { } img && Bool(img, "enabled") == true) || allowsImages,
                Math.Max(1, imageLimit),
                sizeMb is > 0 ? sizeMb.Value * 1024L * 1024 : DefaultImageSizeLimitBytes,
                Object(root, "suggested_questions_after_answer") is { } sq && Bool(sq, "enabled") == true,
                Object(root, "speech_to_text") is { } st && Bool(st, "enabled") == true,
                root)
            {
                InputForm = DifyInputField.ParseForm(root),
            };
        }
    }

    static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}

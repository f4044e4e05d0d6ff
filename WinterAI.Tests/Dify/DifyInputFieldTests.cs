using System.Text.Json;
using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public sealed class DifyInputFieldTests
{
    private static DifyAppParameters Parse(string json) => DifyAppParameters.Parse(JsonDocument.Parse(json));

    [Test]
    public void ReadsEveryFieldOfTheFormInItsOrder()
    {
        var form = Parse("""
            {"user_input_form": [
              {"text-input": {"label": "公司名称", "variable": "company", "required": true, "max_length": 48, "default": "冬日"}},
              {"paragraph": {"label": "背景", "variable": "background", "required": false}},
              {"select": {"label": "级别", "variable": "level", "required": true, "default": "", "options": ["初级", "高级"]}},
              {"number": {"label": "年龄", "variable": "age", "required": false, "default": 18}},
              {"file": {"label": "附件", "variable": "doc", "required": false}}
            ]}
            """).InputForm;

        form.Select(f => f.Variable).ShouldBe(["company", "background", "level", "age", "doc"]);
        form[0].ShouldBe(new DifyInputField("company", "公司名称", "text-input", true, 48, "冬日", []), new FieldComparer());
        form[2].Options.ShouldBe(["初级", "高级"]);
        form[2].Default.ShouldBeNull();
        form[3].Default.ShouldBe("18");
        form[4].TakesText.ShouldBeFalse();
        form[1].TakesText.ShouldBeTrue();
    }

    [Test]
    public void SkipsWhatItCannotReadInsteadOfFailing()
    {
        var form = Parse("""
            {"user_input_form": [
              "text-input",
              {"text-input": {"label": "no variable"}},
              {"text-input": "not an object"},
              {"external_data_tool": {"variable": "weather", "type": "api"}},
              {"text-input": {"variable": "name", "max_length": -1, "required": "yes"}},
              {"text-input": {"variable": "name", "label": "duplicate"}}
            ]}
            """).InputForm;

        form.Count.ShouldBe(2);
        form[0].Type.ShouldBe("api");
        form[1].ShouldSatisfyAllConditions(
            f => f.Label.ShouldBe("name"),
            f => f.MaxLength.ShouldBeNull(),
            f => f.Required.ShouldBeFalse());
    }

    [TestCase("{}")]
    [TestCase("""{"user_input_form": null}""")]
    [TestCase("""{"user_input_form": {"text-input": {}}}""")]
    public void AnAppWithoutAFormHasNoInputs(string json) => Parse(json).InputForm.ShouldBeEmpty();

    [TestCase("user", DifyInputSourceKind.User, null)]
    [TestCase("MsgType", DifyInputSourceKind.MessageType, null)]
    [TestCase(" scene ", DifyInputSourceKind.Scene, null)]
    [TestCase("=公众号", DifyInputSourceKind.Literal, "公众号")]
    [TestCase("=", DifyInputSourceKind.Literal, "")]
    public void ReadsEverySourceName(string configured, DifyInputSourceKind kind, string? literal) =>
        DifyInputSource.Parse(configured).ShouldBe(new DifyInputSource(kind, literal));

    [TestCase("")]
    [TestCase("openid")]
    [TestCase("literal")]
    public void RefusesAnythingElse(string configured) => DifyInputSource.Parse(configured).ShouldBeNull();

    private sealed class FieldComparer : IEqualityComparer<DifyInputField>
    {
        public bool Equals(DifyInputField? x, DifyInputField? y) =>
            x is not null && y is not null && x with { Options = [] } == y with { Options = [] } && x.Options.SequenceEqual(y.Options);

        public int GetHashCode(DifyInputField obj) => obj.Variable.GetHashCode(StringComparison.Ordinal);
    }
}

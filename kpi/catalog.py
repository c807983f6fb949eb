"""The KPI catalogue: base measures and the KPIs built from them, in one registry.

Every KPI is a count of one measure or a ratio of summed measures. A ratio over a period is always
sum(numerator) / sum(denominator) over the period, never a mean of daily ratios; a zero denominator
gives None ("no value", shown as —), never 0.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

COUNT, RATIO = "count", "ratio"
HIGHER, LOWER = "higher", "lower"


@dataclass(frozen=True)
class Kpi:
    key: str
    kind: str
    name_ja: str
    name_en: str
    unit: str  # count | percent | per_hour | jpy | hours
    numerator: str
    # Ratios: the measure(s) summed into the denominator; the definition may choose another.
    denominator: tuple[str, ...] = ()
    denominator_choices: tuple[str, ...] = ()
    formula_ja: str = ""
    formula_en: str = ""
    direction: str = HIGHER
    # Outcome KPIs judged by FS: the key of `sums` holding the meetings whose outcome is still open.
    # A rate leaves them out of its denominator (judged on the matured cohort only), and a count's
    # pace is scaled to the judged share of the cohort.
    pending: str = ""

    def compute(self, sums: Mapping[str, int | Decimal], denominator: tuple[str, ...] | None = None):
        """(numerator, denominator, value) from summed measures; value None when undefined."""
        num = sums.get(self.numerator) or 0
        if self.kind == COUNT:
            return num, None, num
        den = sum((sums.get(m) or 0) for m in (denominator or self.denominator))
        if self.pending:
            den -= sums.get(self.pending) or 0
        if not den:
            return num, den, None
        return num, den, Decimal(num) / Decimal(den)


def _count(key, ja, en, unit="count", formula_ja="", formula_en="", pending=""):
    return Kpi(key, COUNT, ja, en, unit, key, formula_ja=formula_ja, formula_en=formula_en, pending=pending)


def _ratio(key, ja, en, numerator, denominator, formula_ja, formula_en, unit="percent", choices=(), pending=""):
    return Kpi(
        key, RATIO, ja, en, unit, numerator, tuple(denominator), tuple(choices), formula_ja, formula_en, pending=pending
    )


# Keys of the pending counts (kpi/selectors/funnel.py pending_outcomes) that sit next to summed measures:
# meetings FS has not judged yet (scheduled, held), meetings with no final outcome yet (those and the
# qualified ones still open), and qualified meetings not yet won or lost.
AWAITING_FS, OPEN_MEETINGS, OPEN_QUALIFIED = "meetings_awaiting_fs", "meetings_open", "qualified_open"
PENDING_KEYS = (AWAITING_FS, OPEN_MEETINGS, OPEN_QUALIFIED)


# Every call result of the file contract (kpi.models.CallLog.Result); by default each one counts, so
# connects and effective calls are decided by duration alone, as DESIGN.md's defaults say
# (kpi/conditions.py holds each definition condition and its default).
ALL_RESULTS = ("no_answer", "busy", "voicemail", "gatekeeper", "connected", "wrong_number", "failed")

# Base measures, each also a count KPI. What a measure counts is narrowed by its definition's
# conditions (kpi/conditions.py).
MEASURES: tuple[Kpi, ...] = (
    _count(
        "calls",
        "架電数",
        "Calls",
        formula_ja="発信した通話の件数（応答の有無を問わない）",
        formula_en="Outbound call attempts, answered or not",
    ),
    _count(
        "connects",
        "接続数",
        "Connects",
        formula_ja="通話時間がしきい値以上で、対象の通話結果の発信",
        formula_en="Outbound calls lasting at least the threshold, with a result that counts",
    ),
    _count(
        "target_connects",
        "担当者接続数",
        "Target connects",
        formula_ja="意思決定者と接触できた通話、または担当者からのメール返信",
        formula_en="Calls that reached the decision maker, or email replies from them",
    ),
    _count(
        "target_attempts",
        "担当者アプローチ数",
        "Target attempts",
        formula_ja="担当者宛ての発信とメール送信",
        formula_en="Calls and emails aimed at the target person",
    ),
    _count(
        "effective_calls",
        "有効会話数",
        "Effective conversations",
        formula_ja="接続し、通話時間がしきい値以上で、対象の通話結果の発信",
        formula_en="Connected calls lasting at least the threshold, with a result that counts",
    ),
    _count(
        "follow_ups",
        "追客数",
        "Follow-ups",
        formula_ja="既に接触したリードへの再アプローチ（不在も含む）",
        formula_en="Further touches on an already contacted lead, answered or not",
    ),
    _count(
        "connectors",
        "追客接続数",
        "Follow-up connectors",
        formula_ja="情報提供・質疑応答につながった追客",
        formula_en="Follow-ups that led to information or answers",
    ),
    _count("emails_sent", "メール送信数", "Emails sent"),
    _count("emails_delivered", "メール到達数", "Emails delivered"),
    _count("emails_opened", "メール開封数", "Emails opened"),
    _count(
        "meetings",
        "商談化数",
        "Meetings",
        formula_ja="IS が設定しFSへ引き渡したアポイント",
        formula_en="Appointments set by IS and handed to FS",
    ),
    _count(
        "qualified_meetings",
        "有効商談数",
        "Qualified meetings",
        formula_ja="FS が受注見込みありと判断した商談",
        formula_en="Meetings FS judged to have order potential",
        pending=AWAITING_FS,
    ),
    _count(
        "permissions",
        "パーミッション数",
        "Permissions",
        formula_ja="今後の営業接触に同意したコンタクト",
        formula_en="Contacts who agreed to further sales contact",
    ),
    _count(
        "orders",
        "受注数",
        "Orders",
        formula_ja="受注した商談",
        formula_en="Meetings that became orders",
        pending=OPEN_MEETINGS,
    ),
    _count(
        "order_amount",
        "受注金額",
        "Order amount",
        unit="jpy",
        formula_ja="受注金額の合計（円）",
        formula_en="Sum of order amounts (JPY)",
    ),
    _count(
        "work_hours",
        "稼働時間",
        "Work hours",
        unit="hours",
        formula_ja="稼働日の勤務時間の合計",
        formula_en="Hours worked on active days",
    ),
)

RATIOS: tuple[Kpi, ...] = (
    _ratio(
        "calls_per_hour",
        "時間あたり架電数",
        "Calls per hour",
        "calls",
        ["work_hours"],
        "架電数 ÷ 稼働時間",
        "calls / work hours",
        unit="per_hour",
    ),
    _ratio("connect_rate", "接続率", "Connect rate", "connects", ["calls"], "接続数 ÷ 架電数", "connects / calls"),
    _ratio(
        "target_connect_rate",
        "担当者接続率",
        "Target connect rate",
        "target_connects",
        ["target_attempts"],
        "担当者接続数 ÷ 担当者アプローチ数",
        "target connects / target attempts",
    ),
    _ratio(
        "effective_call_rate",
        "有効会話率",
        "Effective call rate",
        "effective_calls",
        ["calls"],
        "有効会話数 ÷ 架電数",
        "effective calls / calls",
    ),
    _ratio(
        "follow_up_connect_rate",
        "追客接続率",
        "Follow-up connect rate",
        "connectors",
        ["follow_ups"],
        "追客接続数 ÷ 追客数",
        "connectors / follow-ups",
    ),
    _ratio(
        "open_rate",
        "開封率",
        "Open rate",
        "emails_opened",
        ["emails_delivered"],
        "開封数 ÷ 到達数",
        "emails opened / emails delivered",
    ),
    _ratio(
        "meeting_rate",
        "商談化率",
        "Meeting rate",
        "meetings",
        ["connects"],
        "商談化数 ÷ 接続数（分母は定義で選択）",
        "meetings / connects (denominator chosen by the definition)",
        choices=("connects", "effective_calls", "target_connects", "calls"),
    ),
    _ratio(
        "qualified_meeting_rate",
        "有効商談率",
        "Qualified meeting rate",
        "qualified_meetings",
        ["meetings"],
        "有効商談数 ÷ 商談化数（FS 判定待ちの商談を除く）",
        "qualified meetings / meetings (meetings FS has not judged yet left out)",
        pending=AWAITING_FS,
    ),
    _ratio(
        "permission_rate",
        "パーミッション獲得率",
        "Permission rate",
        "permissions",
        ["target_connects"],
        "パーミッション数 ÷ 担当者接続数",
        "permissions / target connects",
    ),
    _ratio(
        "order_rate",
        "受注率",
        "Order rate",
        "orders",
        ["meetings"],
        "受注数 ÷ FSへ引き渡した商談数（結果待ちの商談を除く）",
        "orders / meetings handed to FS (meetings still open left out)",
        pending=OPEN_MEETINGS,
    ),
)

REGISTRY: dict[str, Kpi] = {k.key: k for k in MEASURES + RATIOS}
MEASURE_KEYS: tuple[str, ...] = tuple(m.key for m in MEASURES)

# The KPIs a rep sees on "today" and a manager on the team board, in order.
TODAY_KPIS = ("calls", "connects", "effective_calls", "meetings")
BOARD_KPIS = ("calls", "connects", "connect_rate", "effective_calls", "meetings", "qualified_meetings", "orders")
# A board row's colour follows the activity a rep controls within the period; outcomes set by FS
# (qualified meetings, orders) lag by the sales cycle, so they colour only their own cells.
STATUS_KPIS = ("calls", "connects", "effective_calls", "meetings")


def get(key: str) -> Kpi:
    try:
        return REGISTRY[key]
    except KeyError:
        raise KeyError(f"unknown KPI key {key!r}") from None

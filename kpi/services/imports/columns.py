"""The import contract's columns, the header names people and phone systems write for them, and the
words accepted for each value (English and Japanese).

Header names are compared after NFKC normalisation (full-width letters and brackets become ASCII),
lower-casing and dropping spaces, underscores and hyphens, so 通話時間（秒）, "Duration Seconds" and
duration_seconds all match.
"""

import unicodedata

CALL_COLUMNS = (
    "external_id",
    "rep_email",
    "started_at",
    "duration_seconds",
    "direction",
    "result",
    "reached_target",
    "appointment_set",
    "lead_external_id",
    "note",
)
CALL_REQUIRED = ("external_id", "rep_email", "started_at", "result")

REP_COLUMNS = ("email", "name", "team", "role", "aliases")
REP_REQUIRED = ("email", "name", "role")

_ALIASES = {
    "external_id": ["id", "call id", "callid", "通話ID", "通話id", "コールID", "履歴ID", "外部ID"],
    "rep_email": [
        "email",
        "rep",
        "user email",
        "agent email",
        "担当者メール",
        "担当者メールアドレス",
        "メールアドレス",
        "担当者Email",
        "ユーザーメールアドレス",
    ],
    "started_at": [
        "start time",
        "started",
        "date time",
        "datetime",
        "call start",
        "開始日時",
        "発信日時",
        "通話開始日時",
        "日時",
        "開始時刻",
    ],
    "duration_seconds": [
        "duration",
        "duration (s)",
        "duration(sec)",
        "talk time",
        "通話時間(秒)",
        "通話時間",
        "通話秒数",
        "秒数",
    ],
    "direction": ["call direction", "type", "発着信", "発着信区分", "方向", "種別"],
    "result": ["outcome", "disposition", "call result", "status", "結果", "通話結果", "ステータス"],
    "reached_target": ["decision maker", "target reached", "担当者接続", "キーマン接続", "決裁者接続"],
    "appointment_set": ["appointment", "meeting set", "アポ獲得", "アポ", "商談設定"],
    "lead_external_id": ["lead id", "leadid", "lead", "リードID", "リードid", "顧客ID"],
    "note": ["notes", "memo", "comment", "メモ", "備考", "コメント"],
    "email": ["mail", "メール", "メールアドレス"],
    "name": ["full name", "氏名", "名前", "担当者名"],
    "team": ["team name", "チーム", "チーム名"],
    "role": ["ロール", "役割", "権限"],
    "aliases": ["alias", "エイリアス", "別名", "内線", "内線番号", "電話システムID", "ユーザーID"],
}


def header_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).strip().lower()
    return "".join(ch for ch in text if ch not in " _-\u3000")


def _alias_table(columns: tuple[str, ...]) -> dict[str, str]:
    table = {}
    for column in columns:
        table[header_key(column)] = column
        for alias in _ALIASES.get(column, ()):
            table.setdefault(header_key(alias), column)
    return table


def map_header(header: list[str], columns: tuple[str, ...], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """Contract column -> index in the file. A saved mapping (column -> header in file) wins over aliases."""
    keys = [header_key(h) for h in header]
    found: dict[str, int] = {}
    for column, file_name in (mapping or {}).items():
        if column in columns and file_name and header_key(file_name) in keys:
            found[column] = keys.index(header_key(file_name))
    aliases = _alias_table(columns)
    for index, key in enumerate(keys):
        column = aliases.get(key)
        if column and column not in found and index not in found.values():
            found[column] = index
    return found


RESULTS = {
    "no_answer": ["no answer", "noanswer", "unanswered", "missed", "不在", "応答なし", "未応答", "不通"],
    "busy": ["話中", "話し中", "通話中"],
    "voicemail": ["voice mail", "vm", "留守電", "留守番電話", "留守"],
    "gatekeeper": ["gate keeper", "受付ブロック", "受付拒否", "受付NG", "受付"],
    "connected": ["answered", "connect", "通話", "接続", "通話成立", "会話"],
    "wrong_number": ["wrong number", "番号違い", "番号誤り", "間違い電話"],
    "failed": ["fail", "error", "失敗", "発信失敗", "エラー"],
}
DIRECTIONS = {
    "outbound": ["out", "outgoing", "発信", "架電", "アウトバウンド"],
    "inbound": ["in", "incoming", "着信", "受電", "インバウンド"],
}
TRUE_WORDS = ("true", "1", "yes", "y", "t", "はい", "あり", "有", "○", "◯")
FALSE_WORDS = ("false", "0", "no", "n", "f", "いいえ", "なし", "無", "×", "")
ROLES = {
    "rep": ["is", "inside sales", "担当者", "インサイドセールス", "メンバー"],
    "manager": ["lead", "is lead", "マネージャー", "マネジャー", "リーダー"],
    "fs": ["field sales", "フィールドセールス", "営業"],
    "marketing": ["マーケティング", "マーケ"],
    "ops": ["admin", "運用", "管理者"],
}


def _value_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _word_table(words: dict[str, list[str]]) -> dict[str, str]:
    table = {}
    for value, aliases in words.items():
        table[_value_key(value)] = value
        for alias in aliases:
            table[_value_key(alias)] = value
    return table


RESULT_WORDS = _word_table(RESULTS)
DIRECTION_WORDS = _word_table(DIRECTIONS)
BOOL_WORDS = {**{_value_key(w): True for w in TRUE_WORDS}, **{_value_key(w): False for w in FALSE_WORDS}}
ROLE_WORDS = _word_table(ROLES)


def lookup(table: dict, raw: str):
    """Exact hit first (the common, fast case), then the normalised spelling; None when unknown."""
    hit = table.get(raw)
    if hit is None:
        hit = table.get(_value_key(raw))
    return hit

-- The supervision ledger (督办台账) of key alerts and the board of open alerts.

CREATE TABLE wagecheck.sector_department (
    sector        text PRIMARY KEY,
    department_zh text NOT NULL CHECK (department_zh <> ''),
    department_en text NOT NULL CHECK (department_en <> ''),
    shipped       boolean NOT NULL DEFAULT wagecheck._creating_extension()
);
INSERT INTO wagecheck.sector_department (sector, department_zh, department_en) VALUES
    ('housing', '住房和城乡建设局', 'housing and urban-rural development bureau'),
    ('transport', '交通运输局', 'transport bureau'),
    ('water', '水利局', 'water resources bureau'),
    ('municipal', '住房和城乡建设局（市政）', 'housing and urban-rural development bureau (municipal works)'),
    ('development_reform', '发展和改革局', 'development and reform bureau'),
    ('other', '人力资源和社会保障局', 'human resources and social security bureau');
SELECT pg_catalog.pg_extension_config_dump('wagecheck.sector_department', 'WHERE NOT shipped');

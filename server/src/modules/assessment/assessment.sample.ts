/**
 * The sample standard the default data ships (marked `sample`). The provincial standard (云南省
 * "平安林区"创建活动考核标准（试行）, the notice's attachment) is not public, so this one is written
 * from the notice's own clauses (三 responsibility, 四 liaisons, 五 assessment, 七 forces, 八 and 九
 * infrastructure, 十 information and command, 十一 funds, 十二 publicity) to show how a standard
 * reads; the city office replaces it with the real one. Its veto items are the ones a Yunnan
 * county's form names. Indicator keys are those the operations modules register.
 */
import type { StandardInput } from './assessment.schema.js';

const rate = (steps: [number | null, number | null, number][]) =>
  steps.map(([min, max, points]) => ({ ...(min === null ? {} : { min }), ...(max === null ? {} : { max }), points }));

export const SAMPLE_STANDARD: StandardInput = {
  name: '平安林区创建活动考核标准（示例）',
  version: '示例版',
  description:
    '依据《关于全面深化“平安林区”创建活动暨林区治安防控体系建设的通知》各条款编写的示例标准，满分100分。省级考核标准未公开，请市平安林区办按正式标准修改或导入。',
  items: [
    {
      code: '1',
      title: '组织领导与主体责任（通知第三、四条）',
      maxPoints: 20,
      kind: 'manual',
      children: [
        {
          code: '1.1',
          title: '“一把手”工程',
          maxPoints: 6,
          kind: 'manual',
          children: [
            {
              code: '1.1.1',
              title: '主要领导负总责、分管领导具体抓，责任分工明确',
              maxPoints: 3,
              kind: 'manual',
              guidance: '有责任分工文件得3分；分工不明确得1分；无文件不得分',
              evidence: '责任分工文件、领导小组成立文件',
            },
            {
              code: '1.1.2',
              title: '年初专题研究平安林区建设，制定年度工作方案',
              maxPoints: 3,
              kind: 'manual',
              guidance: '年初专题研究并印发工作方案得3分；方案未按时印发得1分（未研究未制定为一票否决项）',
              evidence: '会议纪要、年度工作方案',
            },
          ],
        },
        {
          code: '1.2',
          title: '纳入总体规划和目标管理，同部署、同落实、同检查、同考评、同奖惩',
          maxPoints: 6,
          kind: 'manual',
          children: [
            {
              code: '1.2.1',
              title: '年度目标任务完成率',
              maxPoints: 4,
              kind: 'indicator',
              indicator: 'responsibility_task_completion_rate',
              curve: rate([
                [0.95, null, 4],
                [0.8, 0.95, 3],
                [0.6, 0.8, 2],
                [null, 0.6, 0],
              ]),
              guidance: '按责任体系中目标任务的完成率计分：≥95%得4分，80%–95%得3分，60%–80%得2分，<60%不得分',
            },
            {
              code: '1.2.2',
              title: '“五同”落实情况',
              maxPoints: 2,
              kind: 'manual',
              guidance: '年度重点工作部署、检查、考评、奖惩中均有平安林区内容得2分，缺一项扣0.5分',
              evidence: '年度重点工作文件、检查通报、奖惩文件',
            },
          ],
        },
        {
          code: '1.3',
          title: '联络员工作制度',
          maxPoints: 8,
          kind: 'manual',
          children: [
            {
              code: '1.3.1',
              title: '建立两级联络员制度，定期召开联络员会议、开展业务培训',
              maxPoints: 4,
              kind: 'manual',
              guidance: '联络员明确、每季度至少召开1次会议、全年至少培训1次得4分，缺一项扣1分',
              evidence: '联络员名单、会议记录、培训签到表',
            },
            {
              code: '1.3.2',
              title: '信息收集上报与量化考评',
              maxPoints: 4,
              kind: 'manual',
              guidance: '按信息报送量化考评结果计分',
              evidence: '信息报送记录、采用情况',
            },
          ],
        },
      ],
    },
    {
      code: '2',
      title: '考评监督（通知第五条）',
      maxPoints: 10,
      kind: 'manual',
      children: [
        {
          code: '2.1',
          title: '开展县级自查和分级评审，考评延伸到乡镇、自然保护区和国有林场，全覆盖',
          maxPoints: 4,
          kind: 'manual',
          guidance: '全部乡镇、自然保护区、国有林场均完成评定得4分；每缺一个单位扣1分',
          evidence: '县级考评通知、评分表、评定结果',
        },
        {
          code: '2.2',
          title: '林业“双增”目标（森林面积、森林蓄积）完成情况',
          maxPoints: 4,
          kind: 'manual',
          guidance: '两项目标均完成得4分，完成一项得2分',
          evidence: '森林资源年度监测数据',
        },
        {
          code: '2.3',
          title: '监督检查发现的问题按期整改',
          maxPoints: 2,
          kind: 'deduction',
          pointsPerCase: 1,
          guidance: '职能部门检查、群众监督、媒体曝光发现的问题未按期整改，每起扣1分，扣完为止（逐起列明）',
          evidence: '检查通报、整改报告',
        },
      ],
    },
    {
      code: '3',
      title: '防控力量整合（通知第七条）',
      maxPoints: 20,
      kind: 'manual',
      children: [
        {
          code: '3.1',
          title: '整合林政执法力量由森林公安统一执法，加强辅警力量建设',
          maxPoints: 4,
          kind: 'manual',
          evidence: '整合文件、辅警花名册',
        },
        {
          code: '3.2',
          title: '护林员上岗率',
          maxPoints: 6,
          kind: 'indicator',
          indicator: 'ranger_on_post_rate',
          curve: rate([
            [0.95, null, 6],
            [0.9, 0.95, 5],
            [0.8, 0.9, 3],
            [null, 0.8, 0],
          ]),
          guidance: '由巡护定位数据计算：≥95%得6分，90%–95%得5分，80%–90%得3分，<80%不得分',
        },
        {
          code: '3.3',
          title: '护林员在线率',
          maxPoints: 4,
          kind: 'indicator',
          indicator: 'ranger_online_rate',
          curve: rate([
            [0.9, null, 4],
            [0.8, 0.9, 3],
            [0.6, 0.8, 2],
            [null, 0.6, 0],
          ]),
          guidance: '由定位终端在线数据计算：≥90%得4分，80%–90%得3分，60%–80%得2分，<60%不得分',
        },
        {
          code: '3.4',
          title: '巡护打卡规范率',
          maxPoints: 3,
          kind: 'indicator',
          indicator: 'checkin_compliance',
          curve: rate([
            [0.9, null, 3],
            [0.7, 0.9, 2],
            [null, 0.7, 0],
          ]),
        },
        {
          code: '3.5',
          title: '森林公安对护林员的指挥调度、培训使用和绩效考评',
          maxPoints: 3,
          kind: 'manual',
          evidence: '培训记录、月度绩效考评结果',
        },
      ],
    },
    {
      code: '4',
      title: '基础建设与技术防范（通知第八、九条）',
      maxPoints: 20,
      kind: 'manual',
      children: [
        {
          code: '4.1',
          title: '木材检查站、森林公安派出所、林区警务站（室）规范化建设',
          maxPoints: 5,
          kind: 'manual',
          children: [
            {
              code: '4.1.1',
              title: '站所台账完整率',
              maxPoints: 2,
              kind: 'indicator',
              indicator: 'site_register_completeness',
              curve: rate([
                [0.95, null, 2],
                [0.8, 0.95, 1],
                [null, 0.8, 0],
              ]),
            },
            { code: '4.1.2', title: '站所规范化建设达标情况', maxPoints: 3, kind: 'manual', evidence: '验收材料、现场照片' },
          ],
        },
        {
          code: '4.2',
          title: '森林公安派出所“五化”建设',
          maxPoints: 4,
          kind: 'manual',
          guidance: '办公场所标准化、办公环境园林化、队伍管理制度化、基础工作信息化、执法办案规范化，每项0.8分',
        },
        { code: '4.3', title: '市际、县际两级林业防控圈，临时卡口、流动检查点规范设立', maxPoints: 3, kind: 'manual' },
        {
          code: '4.4',
          title: '平安林区网格创建及“六联”工作机制',
          maxPoints: 4,
          kind: 'manual',
          guidance: '矛盾纠纷联调、林区治安联防、重点工作联动、突出问题联治、服务管理联抓、林区平安联创',
        },
        {
          code: '4.5',
          title: '重点林区、重要路段、涉林单位视频监控等技防设施建设',
          maxPoints: 4,
          kind: 'manual',
          evidence: '监控点位清单、联网情况',
        },
      ],
    },
    {
      code: '5',
      title: '信息化与应急处置（通知第十条）',
      maxPoints: 15,
      kind: 'manual',
      children: [
        {
          code: '5.1',
          title: '警情响应时间（中位数）',
          maxPoints: 4,
          kind: 'indicator',
          indicator: 'incident_median_response_minutes',
          curve: rate([
            [null, 30, 4],
            [30, 60, 3],
            [60, 120, 2],
            [120, null, 0],
          ]),
          guidance: '≤30分钟得4分，30–60分钟得3分，60–120分钟得2分，超过120分钟不得分',
        },
        {
          code: '5.2',
          title: '卫星热点24小时内核查反馈率',
          maxPoints: 4,
          kind: 'indicator',
          indicator: 'hotspot_check_within_24h_rate',
          curve: rate([
            [0.95, null, 4],
            [0.8, 0.95, 3],
            [0.6, 0.8, 1],
            [null, 0.6, 0],
          ]),
        },
        {
          code: '5.3',
          title: '森林火灾得到有效控制',
          maxPoints: 4,
          kind: 'deduction',
          indicator: 'major_forest_fire_count',
          pointsPerCase: 2,
          guidance: '发生较大及以上森林火灾，每起扣2分，扣完为止（由警情记录统计）',
        },
        { code: '5.4', title: '信息资源互通共享与指挥中心建设', maxPoints: 3, kind: 'manual' },
      ],
    },
    {
      code: '6',
      title: '经费保障与宣传（通知第十一、十二条）',
      maxPoints: 15,
      kind: 'manual',
      children: [
        {
          code: '6.1',
          title: '专项经费纳入财政预算，跟踪问效、专款专用',
          maxPoints: 5,
          kind: 'manual',
          evidence: '预算文件、资金使用台账',
        },
        { code: '6.2', title: '主流媒体、新媒体宣传报道及平安林区专栏', maxPoints: 5, kind: 'manual', evidence: '报道清单、专栏截图' },
        { code: '6.3', title: '主题宣传活动与先进典型培养', maxPoints: 5, kind: 'manual' },
      ],
    },
  ],
  vetoItems: [
    { code: 'V1', title: '年初未专题研究、未制定年度工作方案', indicator: 'work_plan_on_time' },
    { code: 'V2', title: '创建工作经费拨付后被挤占、挪用' },
    { code: 'V3', title: '因工作失职引发重大森林火灾' },
    { code: 'V4', title: '因工作失职引发重大林业有害生物灾害' },
    { code: 'V5', title: '因工作失职发生严重乱砍滥伐林木或非法占用林地' },
  ],
  bonusItems: [
    { code: 'B1', title: '平安林区建设经验被省级以上推广，或工作信息被省级以上采用', maxPoints: 3 },
    { code: 'B2', title: '创新防控机制并取得显著成效', maxPoints: 2 },
  ],
  grades: [
    { name: '优秀', min: 90 },
    { name: '良好', min: 80 },
    { name: '合格', min: 60 },
    { name: '不合格', min: 0 },
  ],
};
